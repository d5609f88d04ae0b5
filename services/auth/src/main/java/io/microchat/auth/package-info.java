/**
 * The MicroChat auth service: registration, login, the current user, and the public keys that let the chat
 * pods verify access tokens on their own.
 */
package io.microchat.auth;
