package net.membersdns.server.zone;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Name construction that cannot fail for names we build from validated parts. */
public final class Names {
  private Names() {}

  /** {@code label.parent}; the label is a single presentation-format label. */
  public static Name child(String label, Name parent) {
    try {
      return Name.concatenate(Name.fromString(label), parent);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("bad name " + label + "." + parent, e);
    }
  }

  /** Parses an absolute name; a missing trailing dot is added. */
  public static Name absolute(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a domain name: " + text, e);
    }
  }

  /** The canonical (lower-case) presentation form used as the store's key. */
  public static String canonical(Name name) {
    return name.canonicalize().toString();
  }
}
