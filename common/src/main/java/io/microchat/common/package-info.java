/**
 * What the MicroChat services share: configuration with the documented environment aliases,
 * verification of the access tokens the auth service issues, and a MongoDB readiness check.
 */
package io.microchat.common;
