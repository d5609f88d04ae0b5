package io.microchat.chat;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;

/**
 * A message as a MongoDB document, written and read field by field.
 *
 * <p>The driver's generic {@code Document} codec looks a codec up in the registry for every value of every
 * document (the benchmark's allocation profile showed those lookups as most of what storing a message allocates);
 * this writes the same document directly: {@code _id, ts, from, fromLower, to, toLower, room, conv,
 * participants, text, clientId}, absent values as null, and {@code deliveredAt} once a recipient confirmed; a group
 * message has {@code group} (and no {@code to} or room) and, when it is a membership change, {@code event},
 * {@code users}, {@code admins} (when any) and {@code name} (for {@code created}); {@code edited}, {@code deleted}
 * and {@code rev} once its sender changed it (written by {@link MessageChanges}).
 * Reading skips fields it does not know and accepts any numeric type for the times.
 */
final class ChatMessageCodec implements Codec<ChatMessage> {

    @Override
    public void encode(BsonWriter writer, ChatMessage m, EncoderContext context) {
        writer.writeStartDocument();
        writer.writeString("_id", m.id());
        writer.writeInt64("ts", m.ts());
        writeNullable(writer, "from", m.from());
        writeNullable(writer, "fromLower", m.fromKey());
        writeNullable(writer, "to", m.to());
        writeNullable(writer, "toLower", m.toKey());
        writeNullable(writer, "room", m.room());
        if (m.isGroup()) {
            writer.writeString("group", m.group()); // before participants: decode reads them for groups only
        }
        writeNullable(writer, "conv", m.conversation());
        writer.writeStartArray("participants");
        for (String participant : m.participants()) {
            writer.writeString(participant);
        }
        writer.writeEndArray();
        writeNullable(writer, "text", m.text());
        writeNullable(writer, "clientId", m.clientId());
        if (m.deliveredAt() != null) {
            writer.writeInt64("deliveredAt", m.deliveredAt());
        }
        if (m.event() != null) {
            writer.writeString("event", m.event().event());
            writeStrings(writer, "users", m.event().users());
            if (!m.event().admins().isEmpty()) {
                writeStrings(writer, "admins", m.event().admins());
            }
            if (m.event().name() != null) {
                writer.writeString("name", m.event().name());
            }
        }
        // edits and deletes (issue 18)
        if (m.edited() != null) {
            writer.writeInt64("edited", m.edited());
        }
        if (m.deleted()) {
            writer.writeBoolean("deleted", true);
        }
        if (m.rev() != null) {
            writer.writeString("rev", m.rev());
        }
        writer.writeEndDocument();
    }

    @Override
    public ChatMessage decode(BsonReader reader, DecoderContext context) {
        String id = null;
        long ts = 0;
        String from = null;
        String to = null;
        String room = null;
        String text = null;
        String clientId = null;
        Long deliveredAt = null;
        String group = null;
        List<String> members = null;
        String event = null;
        List<String> users = List.of();
        List<String> admins = List.of();
        String groupName = null;
        Long edited = null;
        boolean deleted = false;
        String rev = null;
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String name = reader.readName();
            switch (name) {
            case "_id" -> id = readString(reader);
            case "ts" -> ts = readLong(reader);
            case "from" -> from = readString(reader);
            case "to" -> to = readString(reader);
            case "room" -> room = readString(reader);
            case "text" -> text = readString(reader);
            case "clientId" -> clientId = readString(reader);
            case "deliveredAt" -> deliveredAt = reader.getCurrentBsonType() == BsonType.NULL ? readNull(reader)
                    : Long.valueOf(readLong(reader));
            case "group" -> group = readString(reader);
            case "participants" -> {
                if (group != null) {
                    members = readStrings(reader);
                } else {
                    reader.skipValue();
                }
            }
            case "event" -> event = readString(reader);
            case "users" -> users = readStrings(reader);
            case "admins" -> admins = readStrings(reader);
            case "name" -> groupName = readString(reader);
            case "edited" -> edited = reader.getCurrentBsonType() == BsonType.NULL ? readNull(reader)
                    : Long.valueOf(readLong(reader));
            case "deleted" -> deleted = reader.getCurrentBsonType() == BsonType.BOOLEAN ? reader.readBoolean()
                    : skip(reader);
            case "rev" -> rev = readString(reader);
            default -> reader.skipValue();
            }
        }
        reader.readEndDocument();
        GroupStore.Event change = event == null ? null : new GroupStore.Event(event, from, users, admins, groupName);
        return new ChatMessage(id, ts, from, to, room, text, clientId, deliveredAt, group, change, members,
                               edited, deleted, rev);
    }

    @Override
    public Class<ChatMessage> getEncoderClass() {
        return ChatMessage.class;
    }

    private static void writeNullable(BsonWriter writer, String name, String value) {
        if (value == null) {
            writer.writeNull(name);
        } else {
            writer.writeString(name, value);
        }
    }

    private static void writeStrings(BsonWriter writer, String name, List<String> values) {
        writer.writeStartArray(name);
        for (String value : values) {
            writer.writeString(value);
        }
        writer.writeEndArray();
    }

    private static List<String> readStrings(BsonReader reader) {
        if (reader.getCurrentBsonType() != BsonType.ARRAY) {
            reader.skipValue();
            return List.of();
        }
        List<String> values = new ArrayList<>();
        reader.readStartArray();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            values.add(reader.readString());
        }
        reader.readEndArray();
        return values;
    }

    private static boolean skip(BsonReader reader) {
        reader.skipValue();
        return false;
    }

    private static String readString(BsonReader reader) {
        if (reader.getCurrentBsonType() == BsonType.NULL) {
            return readNull(reader);
        }
        return reader.readString();
    }

    private static <T> T readNull(BsonReader reader) {
        reader.readNull();
        return null;
    }

    private static long readLong(BsonReader reader) {
        return switch (reader.getCurrentBsonType()) {
            case INT32 -> reader.readInt32();
            case INT64 -> reader.readInt64();
            case DOUBLE -> (long) reader.readDouble();
            default -> throw new org.bson.BsonInvalidOperationException(
                    "a time must be a number, was " + reader.getCurrentBsonType());
        };
    }
}
