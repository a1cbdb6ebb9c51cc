package net.membersdns.server.update;

/**
 * The store port for the record of used update signatures ({@link UpdateSignature}): the commit
 * records them ({@link ZoneCommitter}); this forgets the ones that no longer verify. Blocks on the
 * store.
 */
@FunctionalInterface
public interface UsedSignatures {

  /**
   * Deletes up to {@code limit} signatures whose Time Signed plus Fudge has passed (with a margin
   * for clocks).
   *
   * @return how many were deleted
   */
  int prune(int limit);
}
