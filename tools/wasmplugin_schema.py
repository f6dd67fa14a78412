"""Istio's WasmPlugin (extensions.istio.io/v1alpha1), transcribed from istio/api
extensions/v1alpha1/wasm.proto and type/v1beta1/{selector,target_ref}.proto (istio/api commit
00017fa37746a08c4799b58636c59399b66c63dd), with the validation rules its generated CRD
(kubernetes/customresourcedefinitions.gen.yaml, same commit) applies: field names as the
Kubernetes YAML spells them (camelCase), every enum's values, lengths, patterns, and the
message-level rules. docs/design-notes.md names it; tools/check_wasmplugin.py applies it.

    errors = validate(document)   # [] when the document is a valid WasmPlugin
"""

import re

API_VERSION = "extensions.istio.io/v1alpha1"
KIND = "WasmPlugin"

ENUMS = {
    "PluginPhase": ["UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"],
    "PullPolicy": ["UNSPECIFIED_POLICY", "IfNotPresent", "Always"],
    "PluginType": ["UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"],
    "FailStrategy": ["FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"],
    "EnvValueSource": ["INLINE", "HOST"],
    "WorkloadMode": ["UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"],
}

# message -> {field: (type, constraints)}; type: string, int32, uint32, struct (free-form
# object), enum:<Enum>, msg:<Message>, list:<type>, map:string.
MESSAGES = {
    "WasmPlugin": {
        "selector": ("msg:WorkloadSelector", {}),
        "targetRef": ("msg:PolicyTargetReference", {}),
        "targetRefs": ("list:msg:PolicyTargetReference", {"max_items": 16}),
        "url": ("string", {"min": 1, "required": True}),
        "sha256": ("string", {"pattern": r"(^$|^[a-f0-9]{64}$)"}),
        "imagePullPolicy": ("enum:PullPolicy", {}),
        "imagePullSecret": ("string", {"min": 1, "max": 253}),
        "verificationKey": ("string", {}),
        "pluginConfig": ("struct", {}),
        "pluginName": ("string", {"min": 1, "max": 256}),
        "phase": ("enum:PluginPhase", {}),
        "priority": ("int32", {}),
        "failStrategy": ("enum:FailStrategy", {}),
        "vmConfig": ("msg:VmConfig", {}),
        "match": ("list:msg:TrafficSelector", {}),
        "type": ("enum:PluginType", {}),
    },
    "WorkloadSelector": {
        "matchLabels": ("map:string", {"required": True, "max_properties": 4096}),
    },
    "PolicyTargetReference": {
        "group": ("string", {"max": 253, "pattern":
                            r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"}),
        "kind": ("string", {"min": 1, "max": 63, "required": True,
                            "pattern": r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$"}),
        "name": ("string", {"min": 1, "max": 253, "required": True}),
        "namespace": ("string", {"max": 0}),  # "cross namespace referencing is not currently supported"
    },
    "VmConfig": {
        "env": ("list:msg:EnvVar", {"max_items": 256}),
    },
    "EnvVar": {
        "name": ("string", {"min": 1, "max": 256, "required": True}),
        "valueFrom": ("enum:EnvValueSource", {}),
        "value": ("string", {"max": 2048}),
    },
    "TrafficSelector": {
        "mode": ("enum:WorkloadMode", {}),
        "ports": ("list:msg:PortSelector", {}),
    },
    "PortSelector": {
        "number": ("uint32", {"required": True, "minimum": 1, "maximum": 65535}),
    },
}

URL_SCHEMES = ("", "http", "https", "oci", "file")
DNS_1123_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"


def _check_value(kind, options, value, where, errors):
    if kind == "string":
        if not isinstance(value, str):
            errors.append(f"{where}: want a string, got {value!r}")
            return
        if len(value) < options.get("min", 0):
            errors.append(f"{where}: shorter than {options['min']}")
        if "max" in options and len(value) > options["max"]:
            errors.append(f"{where}: longer than {options['max']}")
        if "pattern" in options and not re.search(options["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {options['pattern']}")
    elif kind in ("int32", "uint32"):
        low, high = (-2**31, 2**31 - 1) if kind == "int32" else (0, 2**32 - 1)
        low, high = options.get("minimum", low), options.get("maximum", high)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors.append(f"{where}: want an integer in [{low}, {high}], got {value!r}")
    elif kind == "struct":
        if not isinstance(value, dict):
            errors.append(f"{where}: want an object, got {value!r}")
    elif kind.startswith("enum:"):
        values = ENUMS[kind[5:]]
        if value not in values:
            errors.append(f"{where}: {value!r} is not a {kind[5:]} ({', '.join(values)})")
    elif kind.startswith("msg:"):
        _check_message(kind[4:], value, where, errors)
    elif kind.startswith("list:"):
        if not isinstance(value, list):
            errors.append(f"{where}: want a list, got {value!r}")
            return
        if "max_items" in options and len(value) > options["max_items"]:
            errors.append(f"{where}: more than {options['max_items']} items")
        for i, item in enumerate(value):
            _check_value(kind[5:], {}, item, f"{where}[{i}]", errors)
    elif kind == "map:string":
        if not isinstance(value, dict):
            errors.append(f"{where}: want a map of strings, got {value!r}")
            return
        for key, item in value.items():
            if not isinstance(key, str) or not key or "*" in key:
                errors.append(f"{where}: key {key!r}: empty or wildcard")
            if not isinstance(item, str) or len(item) > 63 or "*" in item:
                errors.append(f"{where}.{key}: want a string of at most 63, no wildcard")


def _check_message(name, value, where, errors):
    if not isinstance(value, dict):
        errors.append(f"{where}: want a {name} object, got {value!r}")
        return
    fields = MESSAGES[name]
    for key in value:
        if key not in fields:
            errors.append(f"{where}: unknown field {key!r} of {name} "
                          f"(its fields: {', '.join(fields)})")
    for key, (kind, options) in fields.items():
        if key in value:
            _check_value(kind, options, value[key], f"{where}.{key}", errors)
        elif options.get("required"):
            errors.append(f"{where}: {name}.{key} is required")
    if name == "EnvVar" and value.get("valueFrom") == "HOST" and "value" in value:
        errors.append(f"{where}: value may only be set when valueFrom is INLINE")


def _url_scheme(url):
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://", url)
    return match.group(1).lower() if match else ""


def validate(document):
    """The reasons `document` (a parsed YAML document) is not a valid WasmPlugin."""
    errors = []
    if not isinstance(document, dict):
        return ["not a mapping"]
    for key in document:
        if key not in ("apiVersion", "kind", "metadata", "spec"):
            errors.append(f"unknown top-level field {key!r}")
    if document.get("apiVersion") != API_VERSION:
        errors.append(f"apiVersion is {document.get('apiVersion')!r}, not {API_VERSION}")
    if document.get("kind") != KIND:
        errors.append(f"kind is {document.get('kind')!r}, not {KIND}")
    metadata = document.get("metadata") or {}
    name = metadata.get("name", "")
    if not isinstance(name, str) or len(name) > 253 or not re.match(DNS_1123_SUBDOMAIN, name):
        errors.append(f"metadata.name {name!r} is not a DNS-1123 subdomain")
    spec = document.get("spec")
    if spec is None:
        return errors + ["spec is required"]
    _check_message("WasmPlugin", spec, "spec", errors)
    if isinstance(spec, dict):
        if sum(key in spec for key in ("selector", "targetRef", "targetRefs")) > 1:
            errors.append("spec: only one of targetRefs or selector can be set")
        url = spec.get("url")
        if isinstance(url, str) and _url_scheme(url) not in URL_SCHEMES:
            errors.append(f"spec.url: url must have schema one of [http, https, file, oci]")
    return errors
