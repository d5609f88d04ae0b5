/**
 * The MicroChat operator: the reconciler, the process around it, and the helpers every dependent resource shares.
 */
package io.microchat.operator;
