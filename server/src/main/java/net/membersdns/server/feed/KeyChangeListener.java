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

  KeyChangeListener NONE =
      new KeyChangeListener() {
        @Override
        public void keysChanged() {}

        @Override
        public void sweepKeys() {}
      };
}
