/**
 * {@code make bench}: how many people, how many messages, how fast, and whether anything is lost.
 */
package io.microchat.bench;
