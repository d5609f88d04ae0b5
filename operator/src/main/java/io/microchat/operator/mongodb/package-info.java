/**
 * The managed MongoDB replica set as the operator runs it: what to change in its configuration
 * ({@link io.microchat.operator.mongodb.ReplicaSetPlanner}, a pure function), and how to tell MongoDB
 * ({@link io.microchat.operator.mongodb.MongoAdmin}, with the MongoDB Java driver as the root user).
 */
package io.microchat.operator.mongodb;
