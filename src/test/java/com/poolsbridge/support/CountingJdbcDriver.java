package com.poolsbridge.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * A JDBC driver for URLs {@code jdbc:counting:<real url>} that hands out the real driver's connections and
 * records every statement executed on them (one execute = one database round trip), with the thread that ran
 * it, so a test can count the round trips of one piece of work while background routes use the same pool.
 */
public final class CountingJdbcDriver implements Driver {

    public static final String PREFIX = "jdbc:counting:";

    /** One executed statement. */
    public record Execution(Thread thread, String sql) {
    }

    private static final List<Execution> EXECUTIONS = new CopyOnWriteArrayList<>();

    static {
        try {
            DriverManager.registerDriver(new CountingJdbcDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The counting URL for a real JDBC URL (registers the driver on first use). */
    public static String url(String realUrl) {
        return PREFIX + realUrl.substring("jdbc:".length());
    }

    public static List<Execution> executions() {
        return List.copyOf(EXECUTIONS);
    }

    public static void reset() {
        EXECUTIONS.clear();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
        return proxy(Connection.class, real, (method, args, result) -> {
            // an explicit commit or rollback is a round trip of its own
            if (method.getName().equals("commit") || method.getName().equals("rollback")) {
                EXECUTIONS.add(new Execution(Thread.currentThread(), method.getName().toUpperCase(java.util.Locale.ROOT)));
            }
            return result instanceof Statement statement
                    ? proxy(interfaceOf(statement), statement, (m, a, r) -> {
                        if (m.getName().startsWith("execute")) {
                            EXECUTIONS.add(new Execution(Thread.currentThread(),
                                    a != null && a.length > 0 && a[0] instanceof String sql ? sql : sqlOf(args)));
                        }
                        return r;
                    }) : result;
        });
    }

    private static String sqlOf(Object[] prepareArgs) {
        return prepareArgs != null && prepareArgs.length > 0 ? String.valueOf(prepareArgs[0]) : "?";
    }

    @SuppressWarnings("unchecked")
    private static Class<Statement> interfaceOf(Statement statement) {
        if (statement instanceof java.sql.CallableStatement) {
            return (Class<Statement>) (Class<?>) java.sql.CallableStatement.class;
        }
        if (statement instanceof java.sql.PreparedStatement) {
            return (Class<Statement>) (Class<?>) java.sql.PreparedStatement.class;
        }
        return Statement.class;
    }

    private interface AfterCall {
        Object apply(java.lang.reflect.Method method, Object[] args, Object result) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, AfterCall after) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return method.invoke(target, args);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, args, result);
        };
        return (T) Proxy.newProxyInstance(CountingJdbcDriver.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
