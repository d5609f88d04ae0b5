package io.microchat.operator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The operator's RBAC grants exactly what the code uses: the kinds of its dependents, with their verbs. */
class RbacTest {

    private static final Path RBAC = Path.of(System.getProperty("microchat.root", "..")).resolve("k8s/operator/01-rbac.yaml");

    @Test
    void theClusterRoleGrantsExactlyWhatTheWorkflowUses() throws Exception {
        Map<String, Set<String>> expected = new HashMap<>();
        expected.put("microchat.io/microchats", Set.of("get", "list", "watch"));
        expected.put("microchat.io/microchats/status", Set.of("get", "patch", "update"));
        expected.put("/persistentvolumeclaims", Set.of("list", "get", "patch"));
        expected.put("/events", Set.of("create"));
        expected.put("storage.k8s.io/storageclasses", Set.of("get"));
        for (Dependent dependent : MicroChatReconciler.class.getAnnotation(Workflow.class).dependents()) {
            KubernetesDependentResource<?, ?> resource =
                    (KubernetesDependentResource<?, ?>) dependent.type().getDeclaredConstructor().newInstance();
            Set<String> verbs = new TreeSet<>(Set.of("get", "list", "watch"));
            if (resource instanceof Creator<?, ?>) {
                verbs.add("create");
            }
            if (resource instanceof Updater<?, ?>) {
                verbs.addAll(Set.of("update", "patch"));
                if (resource instanceof Deleter<?>) {
                    verbs.add("delete");
                }
            }
            expected.merge(key(resource.resourceType()), verbs, (a, b) -> {
                Set<String> union = new TreeSet<>(a);
                union.addAll(b);
                return union;
            });
        }
        // SigningKeyRotator rotates the key inside the signing-key Secret (no other Secret is ever updated)
        expected.merge("/secrets", Set.of("update"), (a, b) -> {
            Set<String> union = new TreeSet<>(a);
            union.addAll(b);
            return union;
        });
        assertThat(granted(clusterRole()), is(normalize(expected)));
    }

    @Test
    void leaderElectionNeedsOnlyLeasesInTheOperatorsNamespace() throws IOException {
        Role role = load(Role.class);
        assertThat(role.getMetadata().getNamespace(), is("microchat-system"));
        assertThat(granted(role.getRules()), is(Map.of("coordination.k8s.io/leases", Set.of("create", "get", "update"))));
    }

    private static String key(Class<? extends HasMetadata> type) {
        String group = HasMetadata.getGroup(type);
        return (group == null ? "" : group) + "/" + HasMetadata.getPlural(type);
    }

    private static Map<String, Set<String>> normalize(Map<String, Set<String>> map) {
        Map<String, Set<String>> result = new HashMap<>();
        map.forEach((k, v) -> result.put(k, new TreeSet<>(v)));
        return result;
    }

    private static Map<String, Set<String>> granted(java.util.List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules) {
        Map<String, Set<String>> granted = new HashMap<>();
        for (var rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        return granted;
    }

    private static java.util.List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> clusterRole() throws IOException {
        return load(ClusterRole.class).getRules();
    }

    private static <T extends HasMetadata> T load(Class<T> type) throws IOException {
        try (var in = java.nio.file.Files.newInputStream(RBAC)) {
            java.util.List<HasMetadata> all = Serialization.unmarshal(in);
            return all.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
        }
    }
}
