package io.microchat.operator.dependent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.microchat.operator.SecretValues;
import io.microchat.operator.OperatorDefaults;
import io.microchat.operator.TestMicroChats;
import io.microchat.operator.api.MicroChat;
import io.microchat.operator.api.MicroChatStatus;
import io.microchat.operator.api.ReplicaSetStatus;
import io.microchat.operator.api.SecretKeyRef;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The data tier's objects as pure functions of the MicroChat: replica set, secrets, Redis hardening, key checksum. */
class DataTierDesiredStateTest {

    private static final OperatorDefaults DEFAULTS = OperatorDefaults.release();

    private final MicroChat demo = TestMicroChats.minimal("demo", "chat");

    @Test
    void theManagedMongoDbIsAThreeMemberReplicaSetWithKeyfileAuthentication() {
        StatefulSet sts = new MongoDbStatefulSetDependentResource().desired(demo, DEFAULTS);
        assertThat(sts.getSpec().getReplicas(), is(3));
        assertThat(sts.getSpec().getPodManagementPolicy(), is("Parallel"));
        var pod = sts.getSpec().getTemplate().getSpec();
        Container mongod = pod.getContainers().getFirst();
        assertThat(mongod.getImage(), is("mongo:7.0.14"));
        assertThat(mongod.getArgs(), contains("--replSet", "rs0", "--bind_ip_all", "--keyFile",
                                              "/etc/mongodb-keyfile/keyfile"));
        assertThat(secretRef(mongod, "MONGO_INITDB_ROOT_PASSWORD"),
                   is("demo-mongodb-users/root-password"));
        Container keyfile = pod.getInitContainers().getFirst();
        assertThat(String.join(" ", keyfile.getCommand()), containsString("chmod 0400 /etc/mongodb-keyfile/keyfile"));
        assertThat(pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow()
                           .getSecret().getSecretName(), is("demo-mongodb-keyfile"));
        assertThat(pod.getVolumes().stream().filter(v -> "keyfile".equals(v.getName())).findFirst().orElseThrow()
                           .getEmptyDir().getMedium(), is("Memory"));
    }

    @Test
    void readinessIsMembershipAndTheStartupProbeWaitsOutJournalRecovery() {
        Container mongod = new MongoDbStatefulSetDependentResource().desired(demo, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(String.join(" ", mongod.getReadinessProbe().getExec().getCommand()),
                   containsString("h.isWritablePrimary || h.secondary"));
        var startup = mongod.getStartupProbe();
        assertThat("at least 15 minutes", startup.getPeriodSeconds() * startup.getFailureThreshold() >= 900, is(true));
        assertThat(mongod.getLivenessProbe().getExec().getCommand(), hasItem("db.adminCommand('ping')"));
    }

    @Test
    void membersAreSpreadAcrossNodesAndZones() {
        var pod = new MongoDbStatefulSetDependentResource().desired(demo, DEFAULTS).getSpec().getTemplate().getSpec();
        var antiAffinity = pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
                .getFirst().getPodAffinityTerm();
        assertThat(antiAffinity.getTopologyKey(), is("kubernetes.io/hostname"));
        assertThat(antiAffinity.getLabelSelector().getMatchLabels(), is(io.microchat.operator.Labels.selector(demo,
                                                                                                       "mongodb")));
        assertThat(pod.getTopologySpreadConstraints().getFirst().getTopologyKey(), is("topology.kubernetes.io/zone"));
        var pdb = new MongoDbPodDisruptionBudgetDependentResource().desired(demo, null);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal(), is(1));
    }

    @Test
    void thePodOfAMemberStaysUntilTheMemberIsOutOfTheConfiguration() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().mongodb.members = 1;
        assertThat(MongoDbStatefulSetDependentResource.replicas(mc), is(1));
        mc.setStatus(new MicroChatStatus());
        mc.getStatus().replicaSet = new ReplicaSetStatus();
        mc.getStatus().replicaSet.members = List.of("a", "b", "c");
        assertThat(MongoDbStatefulSetDependentResource.replicas(mc), is(3));
        mc.getStatus().replicaSet.members = List.of("a", "b");
        assertThat(MongoDbStatefulSetDependentResource.replicas(mc), is(2));
        mc.getSpec().mongodb.members = 5;
        assertThat(MongoDbStatefulSetDependentResource.replicas(mc), is(5));
    }

    @Test
    void theHeadlessServicePublishesMembersBeforeTheyAreReady() {
        var service = new MongoDbServiceDependentResource().desired(demo, null);
        assertThat(service.getSpec().getPublishNotReadyAddresses(), is(true));
    }

    @Test
    void membersAndTheOperatorReachMongoDbBesidesTheServices() {
        var policy = new MongoDbNetworkPolicyDependentResource().desired(demo, null);
        var from = policy.getSpec().getIngress().getFirst().getFrom();
        assertThat(from.size(), is(3));
        assertThat(from.get(1).getPodSelector().getMatchLabels(),
                   is(io.microchat.operator.Labels.selector(demo, "mongodb")));
        assertThat(from.get(2).getNamespaceSelector().getMatchLabels(), is(Map.of()));
        assertThat(from.get(2).getPodSelector().getMatchLabels(),
                   is(Map.of("app.kubernetes.io/name", "microchat-operator")));
        var redis = new RedisNetworkPolicyDependentResource().desired(demo, null);
        assertThat("Redis stays reachable from auth and chat only", redis.getSpec().getIngress().getFirst()
                .getFrom().size(), is(1));
    }

    @Test
    void theServicesConnectToTheReplicaSetAsTheApplicationUserWithDurableDefaults() {
        Container chat = new ChatDeploymentDependentResource().desired(demo, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        List<String> names = chat.getEnv().stream().map(EnvVar::getName).toList();
        assertThat("the password is defined before the URI that refers to it",
                   names.indexOf("MONGODB_PASSWORD") < names.indexOf("MONGODB_URI"), is(true));
        assertThat(secretRef(chat, "MONGODB_PASSWORD"), is("demo-mongodb-users/app-password"));
        String uri = value(chat, "MONGODB_URI");
        assertThat(uri, is("mongodb://microchat:$(MONGODB_PASSWORD)@demo-mongodb-0.demo-mongodb.chat.svc:27017,"
                           + "demo-mongodb-1.demo-mongodb.chat.svc:27017,demo-mongodb-2.demo-mongodb.chat.svc:27017"
                           + "/microchat?replicaSet=rs0&w=majority&journal=true&retryWrites=true"
                           + "&readConcernLevel=majority&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000"));
        Container auth = new AuthDeploymentDependentResource().desired(demo, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(value(auth, "MONGODB_URI"), is(uri));
    }

    @Test
    void generatedSecretsHoldRandomUrlSafeCredentials() {
        Secret users = new MongoDbUsersSecretDependentResource().desired(demo, null);
        assertThat(users.getMetadata().getName(), is("demo-mongodb-users"));
        Map<String, String> values = users.getStringData();
        assertThat(values.get("root-username"), is("root"));
        assertThat(values.get("app-username"), is("microchat"));
        assertThat(values.get("root-password"), matchesPattern("[A-Za-z0-9]{32}"));
        assertThat(values.get("app-password"), matchesPattern("[A-Za-z0-9]{32}"));
        assertThat(values.get("app-password"), not(values.get("root-password")));
        assertThat("a new one each time: only creation uses it",
                   new MongoDbUsersSecretDependentResource().desired(demo, null).getStringData().get("root-password"),
                   not(values.get("root-password")));
        assertThat(new MongoDbKeyfileSecretDependentResource().desired(demo, null).getStringData().get("keyfile"),
                   matchesPattern("[A-Za-z0-9+/]{756}"));
        Secret redis = new RedisPasswordSecretDependentResource().desired(demo, null);
        assertThat(redis.getMetadata().getName(), is("demo-redis-password"));
        assertThat(redis.getStringData().get("password"), matchesPattern("[A-Za-z0-9]{32}"));
    }

    @Test
    void redisRequiresAPasswordKeepsProtectedModeAndNeverEvictsPresence() {
        Container redis = new RedisDeploymentDependentResource().desired(demo, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(redis.getArgs(), contains("--save", "", "--appendonly", "no", "--protected-mode", "yes",
                                             "--requirepass", "$(REDIS_PASSWORD)", "--maxmemory", "192mb",
                                             "--maxmemory-policy", "noeviction"));
        assertThat(secretRef(redis, "REDIS_PASSWORD"), is("demo-redis-password/password"));
        Container chat = new ChatDeploymentDependentResource().desired(demo, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(secretRef(chat, "REDIS_PASSWORD"), is("demo-redis-password/password"));
        assertThat(value(chat, "REDIS_URL"), is("redis://:$(REDIS_PASSWORD)@demo-redis:6379"));
    }

    @Test
    void theUsersOwnRedisPasswordSecretIsUsedInstead() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().redis.passwordSecret = new SecretKeyRef("my-redis", "pw");
        Container redis = new RedisDeploymentDependentResource().desired(mc, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(secretRef(redis, "REDIS_PASSWORD"), is("my-redis/pw"));
        Container chat = new ChatDeploymentDependentResource().desired(mc, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(secretRef(chat, "REDIS_PASSWORD"), is("my-redis/pw"));
    }

    @Test
    void passwordsReachContainersOnlyFromSecrets() {
        var pods = List.of(new ChatDeploymentDependentResource().desired(demo, DEFAULTS).getSpec().getTemplate(),
                           new AuthDeploymentDependentResource().desired(demo, DEFAULTS).getSpec().getTemplate(),
                           new RedisDeploymentDependentResource().desired(demo, DEFAULTS).getSpec().getTemplate(),
                           new MongoDbStatefulSetDependentResource().desired(demo, DEFAULTS).getSpec().getTemplate());
        int passwords = 0;
        for (var pod : pods) {
            for (Container c : pod.getSpec().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    if (env.getName().contains("PASSWORD")) {
                        passwords++;
                        assertThat(env.getName(), env.getValue(), nullValue());
                        assertThat(env.getName(), env.getValueFrom().getSecretKeyRef().getName(),
                                   matchesPattern("demo-(mongodb-users|redis-password)"));
                    } else if (env.getName().endsWith("_URI") || env.getName().endsWith("_URL")) {
                        assertThat(env.getValue(), not(matchesPattern(".*://[^$/]*:[^$][^@]*@.*")));
                    }
                }
            }
        }
        assertThat("chat and auth: MongoDB's and Redis's; Redis its own; MongoDB its root's", passwords, is(6));
    }

    @Test
    void authPodsCarryTheChecksumOfTheSigningKeysSoARotationRollsThem() {
        Secret keys = new SecretBuilder().withNewMetadata().withName("demo-jwt").endMetadata()
                .addToStringData("private.pem", "one").build();
        Deployment before = AuthDeploymentDependentResource.deployment(demo, DEFAULTS, Optional.of(keys));
        assertThat(before.getSpec().getTemplate().getMetadata().getAnnotations(),
                   hasKey(AuthDeploymentDependentResource.SIGNING_KEYS_CHECKSUM));
        String checksum = before.getSpec().getTemplate().getMetadata().getAnnotations()
                .get(AuthDeploymentDependentResource.SIGNING_KEYS_CHECKSUM);
        assertThat(checksum, is(SecretValues.checksum(keys)));
        assertThat("the checksum is not the key", checksum, not(containsString("one")));
        Secret rotated = new SecretBuilder(keys).addToStringData("next.pem", "two").build();
        assertThat(AuthDeploymentDependentResource.deployment(demo, DEFAULTS, Optional.of(rotated)).getSpec().getTemplate()
                           .getMetadata().getAnnotations().get(AuthDeploymentDependentResource.SIGNING_KEYS_CHECKSUM),
                   not(checksum));
        assertThat(AuthDeploymentDependentResource.deployment(demo, DEFAULTS, Optional.empty()).getSpec().getTemplate()
                           .getMetadata().getAnnotations(),
                   not(hasKey(AuthDeploymentDependentResource.SIGNING_KEYS_CHECKSUM)));
    }

    @Test
    void inCommunityOperatorModeTheServicesReadTheConnectionStringThatOperatorWrites() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().mongodb.mode = io.microchat.operator.api.DataStoreMode.CommunityOperator;
        Container chat = new ChatDeploymentDependentResource().desired(mc, DEFAULTS)
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(secretRef(chat, "MONGODB_OPERATOR_URI"), is("demo-mongodb-connection/connectionString.standard"));
        assertThat(value(chat, "MONGODB_URI"), is("$(MONGODB_OPERATOR_URI)&w=majority&journal=true&retryWrites=true"
                                                  + "&readConcernLevel=majority"));
        Secret password = new MongoDbCommunityPasswordSecretDependentResource().desired(mc, null);
        assertThat(password.getMetadata().getName(), is("demo-mongodb-microchat-password"));
        assertThat(password.getStringData().get("password"), matchesPattern("[A-Za-z0-9]{32}"));
    }

    /** {@code secret/key} of a variable from a Secret. */
    private static String secretRef(Container c, String name) {
        var ref = c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static String value(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }
}
