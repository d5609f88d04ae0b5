package io.microchat.chat;

import java.util.Optional;

/** Who is registered: {@link Users} (MongoDB, cached) in a running instance, a stand-in in unit tests. */
interface UserDirectory {

    /**
     * The registered spelling of a username.
     *
     * @param username a username in any case
     * @return the name as registered, or empty when nobody has it
     */
    Optional<String> registeredName(String username);
}
