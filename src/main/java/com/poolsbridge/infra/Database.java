package com.poolsbridge.infra;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** The connection pool for every durable record, with the schema brought up to date before any route starts. */
public final class Database {

    private Database() {
    }

    public static HikariDataSource connect(String url, String user, String password, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pools-bridge-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        migrate(dataSource);
        return dataSource;
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
