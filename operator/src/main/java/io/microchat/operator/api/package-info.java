/**
 * The {@code MicroChat} custom resource ({@code microchat.io/v1alpha1}): spec, status, and the CRD generated from
 * them at build time.
 */
package io.microchat.operator.api;
