package io.github.keycloaklti.compat;

import org.keycloak.models.ClientModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/** Who Keycloak authenticated: the user, their session (none for some tokens) and the client the token was issued to. */
public record Authenticated(UserModel user, UserSessionModel session, ClientModel client) {
}
