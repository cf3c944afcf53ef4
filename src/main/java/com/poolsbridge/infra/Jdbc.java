package com.poolsbridge.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The few lines of plain JDBC every store needs: one statement in its own short transaction (auto-commit on a
 * pooled connection), rows mapped by a {@link Row} function. Spring's JdbcTemplate is not used: it reaches
 * the classpath only through camel-sql, which the bridge does not need.
 */
public final class Jdbc {

    /** Maps the current row of a result set to a value. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    /** Runs one update on a pooled connection (auto-commit); returns the rows changed. */
    public static int update(DataSource dataSource, String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, sql, args);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Runs one update on a connection the caller holds (and commits). */
    public static int update(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /** Runs one query (or a data-changing statement with RETURNING) and maps every row. */
    public static <T> List<T> query(DataSource dataSource, String sql, Row<T> row, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql, row, args);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** As {@link #query(DataSource, String, Row, Object...)}, on a connection the caller holds. */
    public static <T> List<T> query(Connection connection, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs, row);
            }
        }
    }

    /**
     * A lock statement and then a query, in one round trip, mapping the query's rows. They run in one transaction
     * (the driver sends both before a single Sync; in auto-commit that is the statement pair's own), and under READ
     * COMMITTED the query's snapshot is taken once the lock is granted: it sees what the lock's previous holder
     * committed, which a lock taken inside the query itself (a CTE) would not.
     */
    public static <T> List<T> queryAfterLock(DataSource dataSource, String lockSql, String sql, Row<T> row,
                                             Object... args) {
        try (Connection c = dataSource.getConnection()) {
            return queryAfterLock(c, lockSql, sql, row, args);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** As {@link #queryAfterLock(DataSource, String, String, Row, Object...)}, on a connection the caller holds. */
    public static <T> List<T> queryAfterLock(Connection connection, String lockSql, String sql, Row<T> row,
                                             Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(lockSql + ";\n" + sql)) {
            bind(ps, args);
            ps.execute();
            return nextRows(ps, sql, row);
        }
    }

    private static <T> List<T> nextRows(PreparedStatement ps, String sql, Row<T> row) throws SQLException {
        if (!ps.getMoreResults()) {
            throw new SQLException("no result after the lock: " + firstLine(sql));
        }
        try (ResultSet rs = ps.getResultSet()) {
            return rows(rs, row);
        }
    }

    private static <T> List<T> rows(ResultSet rs, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
            out.add(row.map(rs));
        }
        return out;
    }

    /**
     * One statement for every row of {@code rows}, sent as one JDBC batch in one transaction: a page of work costs
     * a round trip and its commit, not one round trip per row.
     */
    public static void batch(DataSource dataSource, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                batch(c, sql, rows);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** As {@link #batch(DataSource, String, List)}, in the transaction of a connection the caller holds. */
    public static void batch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(ps, args);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The first row of a query, if any. */
    public static <T> Optional<T> queryOne(DataSource dataSource, String sql, Row<T> row, Object... args) {
        return query(dataSource, sql, row, args).stream().findFirst();
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    public static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static IllegalStateException failed(String sql, SQLException e) {
        String message = "statement failed: " + firstLine(sql);
        return unavailable(e) ? new DatabaseUnavailableException(message, e) : new IllegalStateException(message, e);
    }

    /** The database could not be reached or is going away (pool timeout, connection lost, shutting down). */
    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || state.startsWith("08") || state.startsWith("57P") || state.startsWith("53");
    }

    private static String firstLine(String sql) {
        String trimmed = sql.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
