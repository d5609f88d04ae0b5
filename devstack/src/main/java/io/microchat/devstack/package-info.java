/**
 * The local stack: stand-ins for MongoDB and a real Redis server for tests and {@code make run}, and the launcher
 * that starts the services as separate processes.
 */
package io.microchat.devstack;
