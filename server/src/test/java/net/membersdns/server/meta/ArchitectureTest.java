package net.membersdns.server.meta;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The data flow of design.md §2 as rules: the zone model does no I/O, only the store speaks SQL,
 * and the wire-facing layers never reach into the store.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("net.membersdns.server");

  @Test
  void zoneModelIsPure() {
    noClasses()
        .that()
        .resideInAPackage("..server.zone..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "io.netty..",
            "java.nio.channels..",
            "java.net.http..",
            "..server.store..",
            "..server.transport..")
        .check(MAIN);
  }

  @Test
  void onlyTheStoreAndFeedSpeakSql() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "..server.store..",
            "..server.feed..",
            "..server.member..",
            "..server.importer..",
            "..server.backup..",
            "..server.cli..",
            "..server.update..",
            "..server.lease..",
            "..server")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer..")
        .check(MAIN);
  }

  @Test
  void wireLayersNeverTouchTheStore() {
    noClasses()
        .that()
        .resideInAnyPackage("..server.transport..", "..server.codec..", "..server.query..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..server.store..", "java.sql..", "javax.sql..")
        .check(MAIN);
  }

  @Test
  void queryPathDoesNotBlockOnTheDatabase() {
    noClasses()
        .that()
        .resideInAnyPackage("..server.query..", "..server.zone..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..server.update..", "..server.feed..", "..server.member..")
        .check(MAIN);
  }
}
