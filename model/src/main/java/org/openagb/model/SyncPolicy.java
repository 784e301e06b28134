package org.openagb.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The sync rules of one mount: the {@code policy} of a {@code persistenceDataList} item, JSON names exactly as in the
 * official SDKs.
 *
 * <p>Every component except {@code mappingPolicy} is non-null: a {@code null} argument (or a missing or {@code null}
 * key in JSON) means that sub-policy's default, so {@code new SyncPolicy(null, null, null, null, null, null, null)}
 * equals {@link #defaults()}. Since every sub-policy validates itself, a {@code SyncPolicy} that exists is valid.
 *
 * <p>When Jackson parses invalid policy JSON, the {@link PolicyException} arrives as the cause of a
 * {@code ValueInstantiationException}.
 *
 * @param uploadPolicy when and how the mount is uploaded
 * @param downloadPolicy whether the mount is filled at session creation
 * @param deletePolicy whether uploads mirror local deletions
 * @param extractPolicy what downloads do with Archive-mode archives
 * @param recyclePolicy how long objects are kept
 * @param bwList what is synced
 * @param mappingPolicy where to read data stored by another mount path, or {@code null} (omitted from JSON)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
    "uploadPolicy",
    "downloadPolicy",
    "deletePolicy",
    "extractPolicy",
    "recyclePolicy",
    "bwList",
    "mappingPolicy"
})
public record SyncPolicy(
        @JsonProperty("uploadPolicy") UploadPolicy uploadPolicy,
        @JsonProperty("downloadPolicy") DownloadPolicy downloadPolicy,
        @JsonProperty("deletePolicy") DeletePolicy deletePolicy,
        @JsonProperty("extractPolicy") ExtractPolicy extractPolicy,
        @JsonProperty("recyclePolicy") RecyclePolicy recyclePolicy,
        @JsonProperty("bwList") BWList bwList,

        @JsonProperty("mappingPolicy") @JsonInclude(JsonInclude.Include.NON_NULL)
        MappingPolicy mappingPolicy) {

    private static final SyncPolicy DEFAULTS = new SyncPolicy(null, null, null, null, null, null, null);

    public SyncPolicy {
        uploadPolicy = uploadPolicy == null ? UploadPolicy.defaults() : uploadPolicy;
        downloadPolicy = downloadPolicy == null ? DownloadPolicy.defaults() : downloadPolicy;
        deletePolicy = deletePolicy == null ? DeletePolicy.defaults() : deletePolicy;
        extractPolicy = extractPolicy == null ? ExtractPolicy.defaults() : extractPolicy;
        recyclePolicy = recyclePolicy == null ? RecyclePolicy.defaults() : recyclePolicy;
        bwList = bwList == null ? BWList.defaults() : bwList;
    }

    /** The official SDK default, serialised exactly as WIRE.md §6.1's default JSON. */
    public static SyncPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder toBuilder() {
        return new Builder()
                .uploadPolicy(uploadPolicy)
                .downloadPolicy(downloadPolicy)
                .deletePolicy(deletePolicy)
                .extractPolicy(extractPolicy)
                .recyclePolicy(recyclePolicy)
                .bwList(bwList)
                .mappingPolicy(mappingPolicy);
    }

    @JsonCreator
    static SyncPolicy fromJson(
            @JsonProperty("uploadPolicy") UploadPolicy uploadPolicy,
            @JsonProperty("downloadPolicy") DownloadPolicy downloadPolicy,
            @JsonProperty("deletePolicy") DeletePolicy deletePolicy,
            @JsonProperty("extractPolicy") ExtractPolicy extractPolicy,
            @JsonProperty("recyclePolicy") RecyclePolicy recyclePolicy,
            @JsonProperty("bwList") BWList bwList,
            @JsonProperty("mappingPolicy") MappingPolicy mappingPolicy) {
        return new SyncPolicy(
                uploadPolicy, downloadPolicy, deletePolicy, extractPolicy, recyclePolicy, bwList, mappingPolicy);
    }

    /** Builds a {@link SyncPolicy}; unset (or {@code null}) sub-policies keep their defaults. Not thread-safe. */
    public static final class Builder {
        private UploadPolicy uploadPolicy;
        private DownloadPolicy downloadPolicy;
        private DeletePolicy deletePolicy;
        private ExtractPolicy extractPolicy;
        private RecyclePolicy recyclePolicy;
        private BWList bwList;
        private MappingPolicy mappingPolicy;

        private Builder() {}

        public Builder uploadPolicy(UploadPolicy uploadPolicy) {
            this.uploadPolicy = uploadPolicy;
            return this;
        }

        public Builder downloadPolicy(DownloadPolicy downloadPolicy) {
            this.downloadPolicy = downloadPolicy;
            return this;
        }

        public Builder deletePolicy(DeletePolicy deletePolicy) {
            this.deletePolicy = deletePolicy;
            return this;
        }

        public Builder extractPolicy(ExtractPolicy extractPolicy) {
            this.extractPolicy = extractPolicy;
            return this;
        }

        public Builder recyclePolicy(RecyclePolicy recyclePolicy) {
            this.recyclePolicy = recyclePolicy;
            return this;
        }

        public Builder bwList(BWList bwList) {
            this.bwList = bwList;
            return this;
        }

        public Builder mappingPolicy(MappingPolicy mappingPolicy) {
            this.mappingPolicy = mappingPolicy;
            return this;
        }

        public SyncPolicy build() {
            return new SyncPolicy(
                    uploadPolicy, downloadPolicy, deletePolicy, extractPolicy, recyclePolicy, bwList, mappingPolicy);
        }
    }
}
