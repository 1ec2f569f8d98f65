// The tenancy policy of the KV v2 listing tests (test/tenancy/kv2-list.test.ts and test/openbao/tenancy-kv2-list.test.ts).
/** Two ways to allow the listing: `list` on the data/ pattern (moved to metadata/), or the metadata/ path itself. */
export const listPolicyText = `version: 1
tenants:
  include: ["team-*"]
defaults:
  roles: ["\${namespace}"]
  paths:
    - path: secret/data/\${namespace}/*
      capabilities: [read, list]
    - path: kv/\${namespace}/*
      capabilities: [read, list]
exceptions:
  team-c:
    paths:
      - path: secret/metadata/shared/*
        capabilities: [list]
vault:
  kvV2Mounts: [secret]
`;
