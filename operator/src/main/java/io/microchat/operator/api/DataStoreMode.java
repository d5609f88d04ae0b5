package io.microchat.operator.api;

/** Who runs a data store. */
public enum DataStoreMode {
    /** The operator runs it in the namespace. */
    Managed,
    /** It runs elsewhere; its address comes from a Secret. */
    External
}
