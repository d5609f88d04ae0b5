/**
 * The soak: three chat instances under steady traffic while a chaos loop kills, restarts and pauses what they
 * depend on; it counts what was acknowledged and never delivered, what was shown twice, and whether presence and
 * memory stayed right ({@code make soak}).
 */
package io.microchat.bench.soak;
