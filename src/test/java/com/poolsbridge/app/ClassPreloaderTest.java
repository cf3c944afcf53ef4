package com.poolsbridge.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged start-up class list still names the classes a start loads (a stale list would quietly lose the
 * speed-up), and preloading loads without initialising and skips names that do not exist.
 */
class ClassPreloaderTest {

    static volatile boolean initialised;

    /** Its static initialiser must not run when it is preloaded. */
    static final class WithStaticInitialiser {
        static {
            initialised = true;
        }
    }

    @Test
    void thePackagedListNamesClassesThatExist() throws IOException {
        List<String> names = Files.readAllLines(Path.of("src/main/resources", ClassPreloader.RESOURCE)).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(names).hasSizeGreaterThan(5000).contains("com.poolsbridge.app.BridgeApplication",
                "org.apache.camel.main.Main");
        int loaded = ClassPreloader.preload(getClass().getClassLoader());
        assertThat(loaded).as("classes of the list found on the classpath").isGreaterThanOrEqualTo(names.size() * 95 / 100);
    }

    @Test
    void preloadingLoadsWithoutInitialisingAndSkipsUnknownNames() {
        String list = "# a comment\n" + WithStaticInitialiser.class.getName() + "\ncom.example.NoSuchClass\n\n";
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return ClassPreloader.RESOURCE.equals(name)
                        ? new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8)) : super.getResourceAsStream(name);
            }
        };
        assertThat(ClassPreloader.preload(loader)).isEqualTo(1);
        assertThat(initialised).isFalse();
    }
}
