package io.github.keycloaklti.nrps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.services.PlatformJson;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * A roster assembled from the platform's pages without holding them as objects: each page is read as a stream, its
 * members copied as JSON into one buffer and counted as they pass, so that a page of a million tiny members is
 * refused at member {@value MembershipsResource#MAX_MEMBERS} + 1, never parsed whole (what filled the heap before).
 */
final class RosterPages {

    private static final ObjectMapper JSON = JsonSerialization.mapper;

    private final ByteArrayOutputStream members = new ByteArrayOutputStream();
    private final JsonGenerator out;
    private final int maxMembers;
    private final UnaryOperator<ObjectNode> rewrite;
    private int count;
    private byte[] id;
    private byte[] context;

    RosterPages(int maxMembers) {
        this(maxMembers, null);
    }

    /** @param rewrite what each member becomes (pairwise user ids); null copies members as the platform wrote them */
    RosterPages(int maxMembers, UnaryOperator<ObjectNode> rewrite) {
        this.maxMembers = maxMembers;
        this.rewrite = rewrite;
        try {
            this.out = JSON.getFactory().createGenerator(members);
            out.writeStartArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds one page's members; returns how many bytes the roster grew by. */
    long add(String page) {
        long before = held();
        try (JsonParser in = JSON.getFactory().createParser(page)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw invalid();
            }
            boolean sawMembers = false;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                if ("members".equals(field) && value == JsonToken.START_ARRAY) {
                    sawMembers = true;
                    while (in.nextToken() != JsonToken.END_ARRAY) {
                        if (++count > maxMembers) {
                            throw new ServiceException(502, "roster_too_large", "the roster has more than " + maxMembers
                                    + " members; ask page by page with 'limit'");
                        }
                        if (rewrite == null) {
                            out.copyCurrentStructure(in);
                        } else if (JSON.readTree(in) instanceof ObjectNode member) {
                            JSON.writeTree(out, rewrite.apply(member));
                        } else {
                            throw invalid();
                        }
                    }
                } else if ("id".equals(field) && id == null || "context".equals(field) && context == null) {
                    // copied as the platform wrote it, never as a tree (whatever its shape, it costs its bytes)
                    byte[] raw = PlatformJson.copyValue(in);
                    if ("id".equals(field)) {
                        id = raw;
                    } else {
                        context = raw;
                    }
                } else {
                    in.skipChildren();
                }
            }
            if (!sawMembers) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's roster has no members list");
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServiceException refused) {
                throw refused;
            }
            throw invalid();
        }
        return held() - before;
    }

    /** The bytes this roster keeps: its members, and the first page's id and context. */
    private long held() {
        return members.size() + (id == null ? 0 : id.length) + (context == null ? 0 : context.length);
    }

    int count() {
        return count;
    }

    /** The membership container: the first page's {@code id} (or {@code defaultId}) and context, every member. */
    byte[] container(String defaultId) {
        try {
            out.writeEndArray();
            out.flush();
            ByteArrayOutputStream whole = new ByteArrayOutputStream(members.size() + 512);
            whole.write(utf8("{\"id\":"));
            whole.write(id != null ? id : JSON.writeValueAsBytes(defaultId));
            whole.write(utf8(",\"context\":"));
            whole.write(context != null ? context : utf8("null"));
            whole.write(utf8(",\"members\":"));
            members.writeTo(whole);
            whole.write('}');
            return whole.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ServiceException invalid() {
        return new ServiceException(502, "platform_invalid_answer", "the platform's answer is not the expected JSON");
    }
}
