-- records_zone_id duplicated the leading column of the unique (zone_id, owner, rtype, rdata)
-- index, which serves every zone_id lookup and the ON DELETE CASCADE from zones just as well;
-- each inserted or deleted record paid for both. One index fewer to maintain per row written.
DROP INDEX IF EXISTS records_zone_id;
