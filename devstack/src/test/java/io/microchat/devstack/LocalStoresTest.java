package io.microchat.devstack;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class LocalStoresTest {

    @Test
    void fileBackedMongoKeepsDataAcrossARestart() throws Exception {
        try (TemporaryDirectory dir = TemporaryDirectory.create("mongo");
             EmbeddedMongo mongo = EmbeddedMongo.persistent(dir.path().resolve("data.mv"), FreePort.find()).start()) {
            try (MongoClient client = MongoClients.create(mongo.uri("t"))) {
                client.getDatabase("t").getCollection("c").insertOne(new Document("_id", "kept").append("v", 1));
            }
            mongo.stop();
            mongo.start();
            try (MongoClient client = MongoClients.create(mongo.uri("t"))) {
                Document found = client.getDatabase("t").getCollection("c").find(new Document("_id", "kept")).first();
                assertThat(found.getInteger("v"), is(1));
            }
        }
    }

    @Test
    void redisIsARealServerAndRestartsOnItsPort() {
        try (EmbeddedRedis redis = EmbeddedRedis.onFreePort().start()) {
            try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
                assertThat(jedis.ping(), is("PONG"));
                jedis.set("k", "v");
                assertThat(jedis.get("k"), is("v"));
            }
            redis.stop();
            redis.start();
            try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
                assertThat(jedis.ping(), is("PONG"));
            }
        }
    }
}
