/**
 * What the MicroChat services share: configuration with the documented environment aliases,
 * verification of the access tokens the auth service issues, a MongoDB readiness check, and the names of the Redis
 * channels between services.
 */
package io.microchat.common;
