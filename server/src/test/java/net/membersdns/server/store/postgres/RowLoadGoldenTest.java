package net.membersdns.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.testing.GoldenZones;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneRows;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The start-up load's path (stored columns straight into {@link ZoneRows}, {@link ZoneRowReader})
 * answers byte for byte as the record path it replaced (each row decoded to a dnsjava record by
 * {@link RecordCodec#decode}, then {@link ZoneData#build(ZoneContent,
 * net.membersdns.server.zone.ZoneSettings)}), over the golden zones as the store would hold them
 * (canonical owner text and RDATA, RFC 4034 §6.2).
 */
class RowLoadGoldenTest {
  @Test
  void loadedRowsAnswerAsDecodedRecords() {
    ServedZones fromRows = new ServedZones();
    ServedZones fromRecords = new ServedZones();
    for (ZoneData z : GoldenZones.zones()) {
      ZoneRows rows = new ZoneRows(z.apex(), z.member(), z.serial(), z.generation());
      ZoneRowReader reader = new ZoneRowReader();
      List<ZoneRecord> decoded = new ArrayList<>();
      for (ZoneRecord zr : z.storedRecords()) {
        Record r = zr.record();
        String owner = RecordCodec.owner(r);
        byte[] rdata = RecordCodec.rdata(r);
        reader.add(
            rows, owner, r.getType(), r.getDClass(), r.getTTL(), rdata, zr.leaseExpiresMillis());
        decoded.add(
            new ZoneRecord(
                RecordCodec.decode(
                    Names.absolute(owner), r.getType(), r.getDClass(), r.getTTL(), rdata),
                zr.leaseExpiresMillis()));
      }
      fromRows.put(ZoneData.build(rows, Zones.settings()));
      fromRecords.put(
          ZoneData.build(
              new ZoneContent(z.apex(), z.member(), z.serial(), z.generation(), decoded),
              Zones.settings()));
      assertThat(fromRows.get(z.apex()).storedRecords())
          .isEqualTo(fromRecords.get(z.apex()).storedRecords());
    }
    QueryHandler rowsHandler = new QueryHandler(new Lookup(fromRows));
    QueryHandler recordsHandler = new QueryHandler(new Lookup(fromRecords));
    int checked = 0;
    for (Name name : GoldenZones.names()) {
      for (int type : new int[] {Type.A, Type.AAAA, Type.SRV, Type.TXT, Type.MX, Type.ANY}) {
        for (long now : new long[] {GoldenZones.NOW, GoldenZones.LATER}) {
          Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
          assertThat(rowsHandler.answer(q, now).message().toWire(65535))
              .as("%s %s", name, Type.string(type))
              .isEqualTo(recordsHandler.answer(q, now).message().toWire(65535));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(500);
  }
}
