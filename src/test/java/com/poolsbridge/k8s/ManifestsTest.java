package com.poolsbridge.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import com.poolsbridge.support.MonitoringMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kustomize overlays under k8s/, without a cluster: each renders ({@code kubectl kustomize}, which renders
 * offline and validates nothing), every rendered object parses strictly into the fabric8 Kubernetes model (an
 * unknown or misspelt field fails), and the deployment properties the bridge relies on hold, cross-checked
 * against config/application.properties. That the probe paths answer on the real jar is ArtifactsIT's part.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final String BRIDGE = "pools-bridge";
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class, "Service", Service.class, "ConfigMap", ConfigMap.class,
            "Secret", Secret.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "NetworkPolicy", NetworkPolicy.class, "ServiceMonitor", ServiceMonitor.class,
            "PrometheusRule", PrometheusRule.class);
    /** The four secrets, each a file of the mounted Secret (BridgeSettings reads NAME_FILE). */
    private static final Set<String> FILE_SETTINGS =
            Set.of("POOLS_SECRET_KEY_FILE", "POOLS_WEBHOOK_SECRET_FILE", "BROKER_PASSWORD_FILE", "DB_PASSWORD_FILE");
    private static final Pattern SECRET_VALUE = Pattern.compile("sk_(live|test)_\\w+|whsec_\\w+|(?i)password=\\S+");

    private static final ObjectMapper STRICT = strictMapper();
    private static final Properties APP = applicationProperties();

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/staging", "overlays/production"})
    void everyObjectParsesStrictlyAndNoSecretValueIsRendered(String dir) throws Exception {
        String rendered = render(dir);
        List<HasMetadata> objects = parse(rendered);
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "Deployment", "Service", "Service", "ConfigMap", "ConfigMap", "PodDisruptionBudget",
                "NetworkPolicy", "NetworkPolicy", "ServiceMonitor");
        assertThat(SECRET_VALUE.matcher(rendered).results().map(m -> m.group()).toList()).isEmpty();
    }

    @Test
    void strictParsingRefusesAMisspeltField() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: x
                          securityContext: {readOnlyRootFileSystem: true}
                """;
        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining("readOnlyRootFileSystem");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/staging", "overlays/production"})
    void theBridgePodIsHardenedProbedAndSized(String dir) throws Exception {
        List<HasMetadata> objects = parse(render(dir));
        Deployment deployment = one(objects, Deployment.class, BRIDGE);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container bridge = container(pod, BRIDGE);

        assertThat(pod.getTerminationGracePeriodSeconds())
                .isGreaterThan(Long.parseLong(APP.getProperty("camel.main.shutdown-timeout").trim()));
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();

        Volume tmp = pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null).findFirst().orElseThrow();
        for (Container c : pod.getContainers()) {
            var security = c.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).as(c.getName()).isTrue();
            assertThat(security.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(security.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(security.getSeccompProfile().getType()).as(c.getName()).isEqualTo("RuntimeDefault");
            assertThat(mountPath(c, tmp.getName())).as(c.getName()).isEqualTo("/tmp");
            for (Map<String, Quantity> amounts : List.of(c.getResources().getRequests(), c.getResources().getLimits())) {
                assertThat(amounts).as(c.getName()).containsKeys("cpu", "memory");
            }
        }

        // probes on the management port, at the paths the management server serves (application.properties)
        int managementPort = Integer.parseInt(env(bridge, "MANAGEMENT_PORT"));
        String healthPath = APP.getProperty("camel.management.health-path", "/observe/health");
        assertThat(APP.getProperty("camel.management.port")).contains("MANAGEMENT_PORT");
        assertThat(bridge.getStartupProbe().getHttpGet().getPath()).isEqualTo(healthPath + "/live");
        assertThat(bridge.getLivenessProbe().getHttpGet().getPath()).isEqualTo(healthPath + "/live");
        assertThat(bridge.getReadinessProbe().getHttpGet().getPath()).isEqualTo(healthPath + "/ready");
        for (var probe : List.of(bridge.getStartupProbe(), bridge.getLivenessProbe(), bridge.getReadinessProbe())) {
            assertThat(containerPort(bridge, probe.getHttpGet().getPort().getStrVal())).isEqualTo(managementPort);
        }
        assertThat(containerPort(bridge, "http")).isEqualTo(Integer.parseInt(env(bridge, "HTTP_PORT")));
        assertThat(bridge.getImage()).doesNotContain("demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/staging", "overlays/production"})
    void configAndSecretsAreMountedWhereTheSettingsPoint(String dir) throws Exception {
        List<HasMetadata> objects = parse(render(dir));
        PodSpec pod = one(objects, Deployment.class, BRIDGE).getSpec().getTemplate().getSpec();
        Container bridge = container(pod, BRIDGE);

        Volume config = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null
                && v.getConfigMap().getName().startsWith("pools-bridge-config")).findFirst().orElseThrow();
        ConfigMap configMap = one(objects, ConfigMap.class, config.getConfigMap().getName());
        Path configFile = Path.of(env(bridge, "POOLS_BRIDGE_CONFIG"));
        assertThat(configFile.getParent().toString()).isEqualTo(mountPath(bridge, config.getName()));
        assertThat(configMap.getData()).containsKey(configFile.getFileName().toString());

        // the environment ConfigMap the container reads exists (kustomize rewrote the hashed name)
        String envMap = bridge.getEnvFrom().get(0).getConfigMapRef().getName();
        assertThat(one(objects, ConfigMap.class, envMap).getData()).containsKeys("POOLS_BASE_URL", "BROKER_URL", "DB_URL");

        Secret template = STRICT.readValue(K8S.resolve("base/secret-template.yaml").toFile(), Secret.class);
        assertThat(template.getData()).isNullOrEmpty();
        assertThat(template.getStringData().values()).allMatch(String::isEmpty);
        Volume secrets = pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertThat(secrets.getSecret().getSecretName()).isEqualTo(template.getMetadata().getName());
        String secretDir = mountPath(bridge, secrets.getName());
        Set<String> files = FILE_SETTINGS.stream().map(name -> Path.of(env(bridge, name)))
                .peek(file -> assertThat(file.getParent().toString()).isEqualTo(secretDir))
                .map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        assertThat(files).isEqualTo(template.getStringData().keySet());
        assertThat(bridge.getEnv()).extracting(EnvVar::getName)
                .doesNotContain("POOLS_SECRET_KEY", "POOLS_WEBHOOK_SECRET", "BROKER_PASSWORD", "DB_PASSWORD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/staging", "overlays/production"})
    void disruptionNetworkAndScrapingAreCovered(String dir) throws Exception {
        List<HasMetadata> objects = parse(render(dir));
        Deployment deployment = one(objects, Deployment.class, BRIDGE);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class, BRIDGE);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        if (pdb.getSpec().getMinAvailable() != null) {
            assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as("a drain must stay possible")
                    .isLessThan(deployment.getSpec().getReplicas());
        } else {
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isPositive();
        }

        NetworkPolicy deny = one(objects, NetworkPolicy.class, "default-deny-all");
        assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();

        NetworkPolicy allow = one(objects, NetworkPolicy.class, BRIDGE);
        assertThat(podLabels).containsAllEntriesOf(allow.getSpec().getPodSelector().getMatchLabels());
        Container bridge = container(deployment.getSpec().getTemplate().getSpec(), BRIDGE);
        assertThat(ports(allow.getSpec().getIngress().stream().flatMap(rule -> rule.getPorts().stream()).toList()))
                .containsExactlyInAnyOrder(containerPort(bridge, "http"), containerPort(bridge, "management"));
        assertThat(ports(allow.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream()).toList()))
                .containsExactlyInAnyOrder(53, 53, 61617, 5432, 443);

        Service management = objects.stream().filter(o -> o instanceof Service s
                && s.getSpec().getPorts().stream().anyMatch(p -> "management".equals(p.getName())))
                .map(Service.class::cast).findFirst().orElseThrow();
        ServiceMonitor monitor = one(objects, ServiceMonitor.class, BRIDGE);
        assertThat(management.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPort()).isEqualTo("management");
            assertThat(endpoint.getPath()).isEqualTo(APP.getProperty("camel.management.metrics-path", "/observe/metrics"));
        });
    }

    @Test
    void productionTalksToLive0PoolsAndStagingToTheSandboxBesideIt() throws Exception {
        List<HasMetadata> production = parse(render("overlays/production"));
        assertThat(envConfig(production).get("POOLS_BASE_URL")).isEqualTo("https://pools-api.0bit.app/v1");
        assertThat(one(production, Deployment.class, BRIDGE).getSpec().getTemplate().getSpec().getContainers())
                .singleElement().extracting(Container::getName).isEqualTo(BRIDGE);

        List<HasMetadata> staging = parse(render("overlays/staging"));
        assertThat(envConfig(staging).get("POOLS_BASE_URL")).startsWith("http://127.0.0.1:");
        Container sandbox = container(one(staging, Deployment.class, BRIDGE).getSpec().getTemplate().getSpec(), "pools-sandbox");
        assertThat(sandbox.getImage()).contains("pools-bridge-demo");
        assertThat(sandbox.getArgs()).first().isEqualTo("sandbox");
        assertThat(envConfig(staging).get("POOLS_BASE_URL")).contains(":" + sandbox.getPorts().get(0).getContainerPort() + "/");
    }

    /**
     * k8s/monitoring: the PrometheusRule and the dashboard ConfigMap parse strictly; every alert is complete, every
     * dashboard panel has a query, and the metric names they use are the bridge's (ArtifactsIT checks the same
     * names against a real scrape of the production jar).
     */
    @Test
    void monitoringHoldsCompleteAlertsAndADashboardOverTheBridgeMetrics() throws Exception {
        List<HasMetadata> objects = parse(render("monitoring"));
        assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("PrometheusRule", "ConfigMap");

        List<Rule> rules = one(objects, PrometheusRule.class, BRIDGE).getSpec().getGroups().stream()
                .flatMap(group -> group.getRules().stream()).toList();
        assertThat(rules).extracting(Rule::getAlert).contains("PoolsBridgeQuoteFailures", "PoolsBridgeTradeReservedTooLong",
                "PoolsBridgeWebhooksRefused", "PoolsBridgeTradeReturned", "PoolsBridgeLedgerMismatch",
                "PoolsBridgeDeadLettersGrowing", "PoolsBridgeRateLimited", "PoolsBridgeReconciliationStale");
        for (Rule rule : rules) {
            String expr = rule.getExpr().getStrVal();
            assertThat(expr).as(rule.getAlert()).isNotBlank().contains("pools_bridge_");
            assertThat(expr.chars().filter(c -> c == '(').count()).as(rule.getAlert() + " parentheses")
                    .isEqualTo(expr.chars().filter(c -> c == ')').count());
            assertThat(rule.getLabels()).as(rule.getAlert()).containsKey("severity");
            assertThat(rule.getLabels().get("severity")).isIn("warning", "critical");
            assertThat(rule.getAnnotations()).as(rule.getAlert()).containsKey("summary");
        }

        ConfigMap dashboard = one(objects, ConfigMap.class, "pools-bridge-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("pools-bridge-dashboard.json"));
        assertThat(json.path("panels")).hasSizeGreaterThan(10).allSatisfy(panel ->
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                        .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank()));

        // names in metric position only: the bridge's own, Camel's and the binders' (JVM, database pool, HTTP pool)
        assertThat(MonitoringMetrics.used()).isNotEmpty().allMatch(name -> name.matches(
                "pools_bridge_[a-z0-9_]+|camel_exchanges_[a-z_]+|jvm_[a-z_]+|hikaricp_[a-z_]+|httpcomponents_httpclient_pool_[a-z_]+"));
    }

    private static String render(String dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", K8S.resolve(dir).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize " + dir).isZero();
        return out;
    }

    private static List<HasMetadata> parse(String yaml) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (var docs = STRICT.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asText());
                assertThat(type).as("kind " + doc.path("kind")).isNotNull();
                objects.add(STRICT.treeToValue(doc, type));
            }
        }
        return objects;
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static Map<String, String> envConfig(List<HasMetadata> objects) {
        return objects.stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().startsWith("pools-bridge-env"))
                .map(o -> ((ConfigMap) o).getData()).findFirst().orElseThrow();
    }

    private static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .filter(Objects::nonNull).findFirst().orElseThrow(() -> new AssertionError("env " + name + " not set"));
    }

    private static String mountPath(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume))
                .map(VolumeMount::getMountPath).findFirst().orElseThrow(() -> new AssertionError(volume + " not mounted"));
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow().getContainerPort();
    }

    private static List<Integer> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getPort().getIntVal()).toList();
    }

    /** Unknown properties fail: fabric8 models would otherwise keep them in additionalProperties. */
    private static ObjectMapper strictMapper() {
        SimpleModule strict = new SimpleModule("strict").setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                         BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        return new ObjectMapper(new YAMLFactory()).registerModule(strict)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private static Properties applicationProperties() {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("config", "application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties;
    }
}
