// The error of toYAML and parseYAML: its message is yaml.v2's, "yaml: " included where Go has it.
export class YamlError extends Error {}
