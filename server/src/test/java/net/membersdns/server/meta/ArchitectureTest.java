package net.membersdns.server.meta;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md as rules: requests flow down from the transports through the
 * pipeline to the handlers, the data they read and write below them, and the request contracts,
 * TSIG, metrics and the zone model at the bottom; nothing reaches up. Only the store speaks SQL,
 * and the zone model does no I/O.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("net.membersdns.server");

  @Test
  void layersOnlyDependDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Boot")
        .definedBy(
            "net.membersdns.server",
            "..server.cli..",
            "..server.admin..",
            "..server.lifecycle..",
            "..server.logging..")
        .layer("Transport")
        .definedBy("..server.transport..", "..server.codec..")
        .layer("Pipeline")
        .definedBy("..server.pipeline..")
        .layer("Handlers")
        .definedBy("..server.query..", "..server.llq..")
        .layer("Data")
        .definedBy(
            "..server.update..",
            "..server.lease..",
            "..server.keys..",
            "..server.feed..",
            "..server.member..",
            "..server.importer..",
            "..server.backup..",
            "..server.store..",
            "..server.config..")
        .layer("Contracts")
        .definedBy("..server.request..", "..server.metrics..", "..server.audit..")
        .layer("Auth")
        .definedBy("..server.auth..")
        .layer("Zone")
        .definedBy("..server.zone..")
        .whereLayer("Boot")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Transport")
        .mayOnlyBeAccessedByLayers("Boot")
        .whereLayer("Pipeline")
        .mayOnlyBeAccessedByLayers("Boot", "Transport")
        .whereLayer("Handlers")
        .mayOnlyBeAccessedByLayers("Boot", "Pipeline")
        .whereLayer("Data")
        .mayOnlyBeAccessedByLayers("Boot", "Transport", "Pipeline", "Handlers")
        .whereLayer("Contracts")
        .mayOnlyBeAccessedByLayers("Boot", "Transport", "Pipeline", "Handlers", "Data")
        .whereLayer("Auth")
        .mayOnlyBeAccessedByLayers("Boot", "Pipeline", "Handlers", "Data", "Contracts")
        .check(MAIN);
  }

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
  void onlyTheStoreSpeaksSql() {
    noClasses()
        .that()
        .resideOutsideOfPackages("..server.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer..")
        .check(MAIN);
  }

  @Test
  void requestContractsAndHandlersNeverTouchNettyOrTheStore() {
    noClasses()
        .that()
        .resideInAnyPackage("..server.request..", "..server.query..", "..server.llq..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "..server.store..", "java.sql..", "javax.sql..")
        .check(MAIN);
  }

  @Test
  void liveRecordsAreReadThroughTheZoneModelOnly() {
    // One read of live (unexpired, RFC 9664) data: ZoneData.Node.live and friends. Queries, update
    // prerequisites and LLQ answers each had their own loop over Entry.live before.
    noClasses()
        .that()
        .resideOutsideOfPackage("..server.zone..")
        .should()
        .callMethod(ZoneData.Entry.class, "live", long.class)
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
