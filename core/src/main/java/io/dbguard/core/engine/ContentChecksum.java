package io.dbguard.core.engine;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.Function;

/**
 * The opt-in content checksum of the data-loss check ({@code --content-checksum}): per column, an
 * order-independent checksum of its non-null values, taken in the same scan as the counts.
 *
 * <p>Each value is hashed to 64 bits and the hashes are summed, so the physical order of rows does
 * not matter and the checksum is computed in one pass with the counts. Equal checksums mean equal
 * multisets of values with overwhelming probability (a sum of 64-bit hashes is not a cryptographic
 * digest: it detects accidental change — an overwritten value, rows replaced by others — not a
 * deliberate forgery).
 *
 * <ul>
 *   <li>PostgreSQL: {@code sum(hashtextextended(col::text, 0))}: the server's 64-bit extended hash
 *       of text (the hash support function of text's hash operator class, which hash partitioning
 *       relies on being the same on every platform; PostgreSQL 11 and later) over the value's text
 *       output, taken with the text-output settings fixed (UTC, ISO dates, hex bytea). The sum is
 *       {@code numeric}, exact; {@link #PG_MODULUS} folds it to an unsigned 64-bit decimal.
 *   <li>SQLite: the aggregate {@value #SQLITE_FUNCTION}, registered on the connection by {@link
 *       #register}: FNV-1a 64 over the value's storage class and its text (integer, real, text) or
 *       bytes (blob), summed modulo 2<sup>64</sup>.
 * </ul>
 *
 * <p>Measured cost (docs/benchmarks.md, "Content checksum"): about 4.8× the count-only scan on
 * PostgreSQL, which is why it is opt-in.
 */
public final class ContentChecksum {
  private ContentChecksum() {}

  /** Name of the SQLite aggregate function {@link #register} installs. */
  public static final String SQLITE_FUNCTION = "dbguard_checksum";

  /** 2<sup>64</sup>: PostgreSQL sums are folded modulo this into an unsigned 64-bit decimal. */
  public static final String PG_MODULUS = "18446744073709551616";

  /** SQLite's fundamental datatype codes (sqlite.org, "Fundamental Datatypes"): blob and null. */
  private static final int SQLITE_BLOB = 4;

  private static final int SQLITE_NULL = 5;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /**
   * The PostgreSQL select-list expression for one column's checksum.
   *
   * @param quotedColumn the column, already quoted as an identifier
   * @return an expression of type text: the unsigned decimal checksum, {@code 0} for no values
   */
  public static String postgresExpression(String quotedColumn) {
    return "(((coalesce(sum(hashtextextended("
        + quotedColumn
        + "::text, 0)), 0) % "
        + PG_MODULUS
        + ") + "
        + PG_MODULUS
        + ") % "
        + PG_MODULUS
        + ")::text";
  }

  /**
   * Registers {@value #SQLITE_FUNCTION} on a SQLite connection (sqlite-jdbc's application-defined
   * aggregate functions).
   *
   * @throws SQLException when the driver refuses the registration
   */
  public static void register(Connection sqlite) throws SQLException {
    Function.create(sqlite, SQLITE_FUNCTION, new SqliteAggregate());
  }

  /**
   * FNV-1a 64 of a storage-class tag followed by bytes (the Fowler–Noll–Vo hash, 64-bit offset
   * basis {@code 0xcbf29ce484222325} and prime {@code 0x100000001b3}).
   */
  static long fnv1a(byte tag, byte[] bytes) {
    long h = (FNV_OFFSET ^ (tag & 0xff)) * FNV_PRIME;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }

  /** Sums FNV-1a hashes of the non-null values modulo 2^64; the result is an unsigned decimal. */
  private static final class SqliteAggregate extends Function.Aggregate {
    private long sum;

    @Override
    protected void xStep() throws SQLException {
      int type = value_type(0);
      byte[] bytes;
      switch (type) {
        case SQLITE_NULL:
          return;
        case SQLITE_BLOB:
          bytes = value_blob(0);
          break;
        default:
          String text = value_text(0);
          bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
      }
      sum += fnv1a((byte) type, bytes == null ? new byte[0] : bytes);
    }

    @Override
    protected void xFinal() throws SQLException {
      result(Long.toUnsignedString(sum));
      sum = 0;
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
      SqliteAggregate copy = (SqliteAggregate) super.clone();
      copy.sum = 0;
      return copy;
    }
  }
}
