package io.microchat.operator;

import java.util.List;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.microchat.operator.api.DataStoreMode;
import io.microchat.operator.api.MicroChat;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/** The MongoDBCommunity resource asked of the MongoDB community operator, as a pure function of the MicroChat. */
class MongoDbCommunityTest {

    private static MicroChat community() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().mongodb.mode = DataStoreMode.CommunityOperator;
        mc.getSpec().mongodb.storageClassName = "fast";
        return mc;
    }

    @Test
    void aScramReplicaSetOfTheSpecsMembersWithTheApplicationUserOnly() {
        var resource = MongoDbCommunity.desired(community());
        assertThat(resource.getApiVersion(), is("mongodbcommunity.mongodb.com/v1"));
        assertThat(resource.getKind(), is("MongoDBCommunity"));
        assertThat(resource.getMetadata().getName(), is("demo-mongodb"));
        var json = Serialization.jsonMapper().valueToTree(resource.getAdditionalProperties().get("spec"));
        assertThat("as the community operator's documentation shows it (key order aside)", json, is(tree("{\"members\":3,\"type\":\"ReplicaSet\",\"version\":\"7.0.14\","
                            + "\"security\":{\"authentication\":{\"modes\":[\"SCRAM\"]}},"
                            + "\"users\":[{\"name\":\"microchat\",\"db\":\"microchat\","
                            + "\"passwordSecretRef\":{\"name\":\"demo-mongodb-microchat-password\","
                            + "\"key\":\"password\"},"
                            + "\"roles\":[{\"name\":\"readWrite\",\"db\":\"microchat\"}],"
                            + "\"scramCredentialsSecretName\":\"demo-mongodb-microchat\","
                            + "\"connectionStringSecretName\":\"demo-mongodb-connection\"}],"
                            + "\"statefulSet\":{\"spec\":{\"volumeClaimTemplates\":["
                            + "{\"metadata\":{\"name\":\"data-volume\"},"
                            + "\"spec\":{\"resources\":{\"requests\":{\"storage\":\"10Gi\"}},"
                            + "\"storageClassName\":\"fast\"}}]}}}")));
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return Serialization.jsonMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theVersionIsTheImagesTag() {
        MicroChat mc = community();
        assertThat(MongoDbCommunity.version(mc.getSpec().mongodb), is("7.0.14"));
        mc.getSpec().mongodb.image = "registry.example.com/mongo:6.0.19";
        assertThat(MongoDbCommunity.version(mc.getSpec().mongodb), is("6.0.19"));
        mc.getSpec().mongodb.image = "mongo:latest";
        assertThat(SpecValidator.problems(mc.getSpec()),
                   hasItem(containsString("spec.mongodb.image must end in a MongoDB version")));
    }

    @Test
    void redisCannotUseTheMongoDbOnlyMode() {
        MicroChat mc = TestMicroChats.minimal("demo", "chat");
        mc.getSpec().redis.mode = DataStoreMode.CommunityOperator;
        assertThat(SpecValidator.problems(mc.getSpec()),
                   is(List.of("spec.redis.mode CommunityOperator is for MongoDB only; use Managed or External")));
    }
}
