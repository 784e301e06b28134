/**
 * The Context Sync value types shared by the OpenAGB server and SDK: {@link org.openagb.model.SyncPolicy} and its
 * sub-policies, and {@link org.openagb.model.ContextSync}.
 *
 * <p>Every type is an immutable, thread-safe record. Each maps one-to-one onto the wire JSON of the official AGB SDKs
 * (WIRE.md §6.1) through Jackson annotations only; this module has no runtime dependency besides
 * {@code jackson-annotations}. Missing keys and {@code null} values in incoming JSON mean "the SDK default", so the
 * compact JSON of TypeScript clients that omit whole sub-policies parses to the same value as Python's full JSON.
 *
 * <p>Values validate themselves when constructed and throw {@link org.openagb.model.PolicyException}. When Jackson
 * builds them from JSON, it wraps that exception in a {@code ValueInstantiationException} (a
 * {@code JsonMappingException}) whose {@code getCause()} is the {@code PolicyException}; servers should unwrap it to
 * report {@code InvalidParameter} with the original message.
 */
package org.openagb.model;
