package net.membersdns.server.store;

/** An infrastructure failure of the store (database down, constraint broken by a bug). */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
