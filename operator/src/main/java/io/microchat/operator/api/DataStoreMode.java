package io.microchat.operator.api;

/** Who runs a data store. */
public enum DataStoreMode {
    /** The operator runs it in the namespace. */
    Managed,
    /** It runs elsewhere; its address comes from a Secret. */
    External,
    /**
     * MongoDB only: the MongoDB community operator runs it, asked for with a {@code MongoDBCommunity} resource; the
     * services' connection string comes from the Secret that operator writes.
     */
    CommunityOperator
}
