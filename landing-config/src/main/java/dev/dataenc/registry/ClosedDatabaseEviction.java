package dev.dataenc.registry;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells the registry's connection pool to drop every connection once its embedded H2 database has closed itself. H2
 * closes a database when a write fails (a full disk, an I/O error); every connection to it then fails with "The
 * database has been closed", an error the pool does not recognise as a broken connection (its SQL state is H2's own,
 * not {@code 08xxx}), so the pool would hand out the dead connections for ever and the node would need a restart.
 * Evicted, the next connection opens the file again, as soon as H2 can.
 */
final class ClosedDatabaseEviction implements SQLExceptionOverride {

    /** H2: the database has been closed; closed by shutdown; the connection is broken. */
    private static final int[] H2_DEAD_CONNECTION = {90098, 90121, 90067};

    private final AtomicReference<HikariDataSource> pool = new AtomicReference<>();

    /** The pool whose connections go when one of them reports a closed database. */
    void attach(HikariDataSource ds) {
        pool.set(ds);
    }

    /** Whether {@code e} (or a cause) says the connection's database is closed or the connection broken. */
    static boolean deadConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (int code : H2_DEAD_CONNECTION) {
                    if (sql.getErrorCode() == code) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        if (!deadConnection(e)) {
            return Override.CONTINUE_EVICT;
        }
        HikariDataSource ds = pool.get();
        if (ds != null && ds.getHikariPoolMXBean() != null) {
            ds.getHikariPoolMXBean().softEvictConnections(); // the idle ones are as dead as this one
        }
        return Override.MUST_EVICT;
    }
}
