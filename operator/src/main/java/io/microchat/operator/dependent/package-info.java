/**
 * One dependent resource per object the operator makes for a MicroChat, each named for what it makes. Their
 * {@code desired} methods are pure functions of the MicroChat, so tests call them without a cluster.
 */
package io.microchat.operator.dependent;
