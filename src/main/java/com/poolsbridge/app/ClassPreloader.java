package com.poolsbridge.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Loads, on a second thread, the classes a start of the bridge is known to need (resource
 * {@value #RESOURCE}, in the order a start loads them), while the main thread starts Camel. A start is mostly
 * class loading (about 8,000 classes from the jar and the JDK, one after the other on the main thread); with a
 * second core the main thread finds most of them read and parsed already. Classes are loaded, not initialised:
 * no static initialiser runs earlier or on another thread than it would anyway. A name that no longer exists
 * (the list is older than a dependency) is skipped; a stale list costs speed, never correctness.
 */
public final class ClassPreloader {

    public static final String RESOURCE = "startup-classes.txt";

    private ClassPreloader() {
    }

    /** Starts the daemon thread. */
    public static void startInBackground(ClassLoader loader) {
        Thread thread = new Thread(() -> preload(loader), "class-preloader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Loads every class the list names that exists; returns how many. */
    static int preload(ClassLoader loader) {
        InputStream list = loader.getResourceAsStream(RESOURCE);
        if (list == null) {
            return 0;
        }
        int loaded = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
            for (String name = lines.readLine(); name != null; name = lines.readLine()) {
                if (!name.isBlank() && !name.startsWith("#") && load(name.strip(), loader)) {
                    loaded++;
                }
            }
        } catch (IOException e) {
            // only a speed-up: the main thread loads whatever was not preloaded
        }
        return loaded;
    }

    private static boolean load(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
