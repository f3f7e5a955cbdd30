"""The ask-platform Pulumi program: one stack config in, one ACK Serverless platform out."""

import pulumi

from ask_components import Platform, platform_config_from_pulumi

config = platform_config_from_pulumi()  # every config problem at once, before any resource
platform = Platform(config.name, config)
for key, value in platform.outputs().items():
    pulumi.export(key, value)
