/**
 * The MicroChat terminal client.
 */
package io.microchat.cli;
