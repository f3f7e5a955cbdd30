"""ask-components: Pulumi components for Alibaba Cloud ACK Serverless (ASK)."""
