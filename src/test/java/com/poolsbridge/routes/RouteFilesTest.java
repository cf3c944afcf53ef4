package com.poolsbridge.routes;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build-time validation of the YAML routes against the YAML DSL schema shipped in camel-yaml-dsl (catches
 * unknown EIPs, misspelled keys, wrong types), every route has an explicit id, and the packaged route list in
 * config/application.properties names every file in routes/, and bean parameters name plain exchange properties and
 * headers with a colon.
 */
class RouteFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyRouteFileIsValidYamlDsl() throws Exception {
        JsonSchema schema;
        try (InputStream in = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        List<Path> files = routeFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            Set<ValidationMessage> errors = schema.validate(YAML.readTree(file.toFile()));
            assertThat(errors).as(file.toString()).isEmpty();
        }
    }

    @Test
    void everyRouteHasAnExplicitId() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Path file : routeFiles()) {
            for (JsonNode item : YAML.readTree(file.toFile())) {
                if (item.has("route")) {
                    assertThat(item.at("/route/id").asText("")).as("route without id in " + file).isNotBlank();
                    ids.add(item.at("/route/id").asText());
                }
            }
        }
        assertThat(ids).doesNotHaveDuplicates().contains("order-intake", "order-execution", "pools-api");
    }

    @Test
    void thePackagedRouteListNamesEveryRouteFile() throws Exception {
        java.util.Properties config = new java.util.Properties();
        try (InputStream in = Files.newInputStream(Path.of("config/application.properties"))) {
            config.load(in);
        }
        List<String> listed = Stream.of(config.getProperty("camel.main.routes-include-pattern").split(","))
                .map(String::strip).sorted().toList();
        List<String> expected = routeFiles().stream()
                .map(p -> "classpath:routes/" + p.getFileName()).toList();
        assertThat(listed).isEqualTo(expected);
    }

    /**
     * Camel's bean language reads a method string with a dot anywhere in it as an OGNL chain: one more copy of the
     * exchange and bean lookup per call. ${exchangeProperty:x} and ${header:x} keep plain parameters dot-free.
     */
    @Test
    void beanParametersNamePlainPropertiesAndHeadersWithAColon() throws Exception {
        java.util.regex.Pattern dotted = java.util.regex.Pattern.compile("\\$\\{(exchangeProperty|header)\\.[\\w-]+}");
        List<String> offending = new ArrayList<>();
        for (Path file : routeFiles()) {
            for (String line : Files.readAllLines(file)) {
                if ((line.strip().startsWith("method: \"") || line.contains("${bean:")) && dotted.matcher(line).find()) {
                    offending.add(file.getFileName() + ": " + line.strip());
                }
            }
        }
        assertThat(offending).isEmpty();
    }

    private static List<Path> routeFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }
}
