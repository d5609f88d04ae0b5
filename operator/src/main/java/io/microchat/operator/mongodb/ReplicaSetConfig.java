package io.microchat.operator.mongodb;

import java.util.List;

/**
 * The part of a replica set's configuration ({@code replSetGetConfig}) the operator manages: its name, version and
 * members, each with every vote and the default priority.
 *
 * @param name    the replica set's name
 * @param version the configuration's version; each reconfiguration increases it
 * @param members the members, in {@code _id} order
 */
public record ReplicaSetConfig(String name, int version, List<Member> members) {

    public ReplicaSetConfig {
        members = List.copyOf(members);
    }

    /**
     * A member.
     *
     * @param id   its {@code _id}, never reused within a configuration
     * @param host {@code host:port}
     */
    public record Member(int id, String host) {
    }

    /**
     * The hosts of the members.
     *
     * @return the hosts, in {@code _id} order
     */
    public List<String> hosts() {
        return members.stream().map(Member::host).toList();
    }
}
