package net.membersdns.server.feed;

/**
 * Told when TSIG keys or grants may have changed in the store (any process: enrolment, member or
 * key removal). Called on the change feed's thread; may block briefly on JDBC.
 */
public interface KeyChangeListener {
  /** A notification on the keys channel arrived: reload now. */
  void keysChanged();

  /** The feed's periodic sweep: reload if the stored keys differ from those held (repair). */
  void sweepKeys();

  /**
   * After a notification or sweep that reloaded keys, once the zone changes that came with it were
   * handed on: act on what the reload revoked now, so that the last changes of a removed member or
   * host still reach what its key authorised (its LLQs) before that ends.
   */
  default void keysApplied() {}

  KeyChangeListener NONE =
      new KeyChangeListener() {
        @Override
        public void keysChanged() {}

        @Override
        public void sweepKeys() {}
      };
}
