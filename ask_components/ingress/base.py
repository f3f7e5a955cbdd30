"""What the two realisations of the platform's ALB share: ``AlbIngress`` (Alibaba Cloud) and
``SandboxAlbIngress`` (the local target).

The settings and the rules Alibaba applies to them (``AlbSettings``), and the component base
(``AlbIngressBase``) with the outputs and attributes that ``expose_app`` and
``exposed_app_records`` read. Imports only pulumi, so that neither realisation pulls in the
other's provider SDK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field

import pulumi

from ask_components.ingress.albconfig import DEFAULT_INGRESS_CLASS, AlbListeners
from ask_components.ingress.config import (
    DEFAULT_EDITION,
    RESERVED_NAME_PREFIX,
    AlbEdition,
    alb_region_problem,
    alb_zones_problem,
)


@dataclass
class AlbSettings:
    """The ALB settings both realisations take.

    Attributes:
        vpc_id: the VPC of the cluster.
        zone_vswitches: zone -> vSwitch id, one zone mapping each; at least 2 zones.
        edition: ``Basic``, ``Standard`` (default) or ``StandardWithWaf``.
        public: Internet-facing; False (default) makes it reachable from the VPC only.
        certificate_ids: HTTPS certificate ids (the first is the default); none: HTTP only.
        redirect_http: answer HTTP with a redirect to HTTPS; default: on when there is HTTPS.
        load_balancer_name: the ALB's name in the console; default: the component name.
        ingress_class_name: the IngressClass apps name in ``ingressClassName``.
        region: the region, to refuse the ones without ALB Ingress; not checked when None.
        tags: tags on the ALB.
    """

    vpc_id: pulumi.Input[str]
    zone_vswitches: Mapping[str, pulumi.Input[str]]
    _: KW_ONLY
    edition: AlbEdition = DEFAULT_EDITION
    public: bool = False
    certificate_ids: Sequence[str] = ()
    redirect_http: bool | None = None
    load_balancer_name: str | None = None
    ingress_class_name: str = DEFAULT_INGRESS_CLASS
    region: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def check(self, name: str, component: str = "AlbIngress") -> AlbListeners:
        """The listener plan, once the settings pass the stack file's ingress rules and what
        Alibaba would refuse (``problems``): otherwise one ``ArgumentError`` listing every
        problem (raised before anything is registered).

        Args:
            name: the component's name.
            component: the component's class name, for the message.
        """
        from ask_components.arguments.ingress import check_alb

        return check_alb(component, name, self)

    def problems(self, name: str) -> list[tuple[str, str]]:
        """(argument, message) for what ALB would refuse beyond the ingress section's rules:
        fewer than two zones, a region without ALB Ingress, names starting with ``aliyun``."""
        problems: list[tuple[str, str]] = []
        if (zones := alb_zones_problem(list(self.zone_vswitches))) is not None:
            problems.append(("zone_vswitches", zones))
        if (region := alb_region_problem(self.region)) is not None:
            problems.append(("region", region))
        for argument, what, value in self.reserved_names(name):
            if value.startswith(RESERVED_NAME_PREFIX):
                problems.append(
                    (
                        argument,
                        f"{what} name {value!r} must not start with {RESERVED_NAME_PREFIX!r}",
                    )
                )
        return problems

    def reserved_names(self, name: str) -> list[tuple[str, str, str]]:
        """(argument, kind, name) of what ALB Ingress forbids to start with ``aliyun``."""
        return [("ingress_class_name", "IngressClass", self.ingress_class_name)]

    def load_balancer_name_for(self, name: str) -> str:
        """The ALB's name: ``load_balancer_name``, else the component's."""
        return self.load_balancer_name or name

    @property
    def address_type(self) -> str:
        """``Internet`` or ``Intranet``, as the ALB API spells it."""
        return "Internet" if self.public else "Intranet"


class AlbIngressBase(pulumi.ComponentResource):
    """The platform's ALB, as ``expose_app`` and ``exposed_app_records`` see it.

    Outputs (both realisations):
        load_balancer_id: the ALB id (``alb-…``).
        dns_name: the ALB's DNS name; point CNAMEs here.
        ingress_class_name: the IngressClass apps use.

    Attributes:
        public: whether the ALB is Internet-facing.
        listeners: the listener plan every app's ``listen-ports`` must match.
        class_name: the IngressClass name (plain text).
    """

    load_balancer_id: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    ingress_class_name: pulumi.Output[str]

    def __init__(
        self,
        type_token: str,
        name: str,
        settings: AlbSettings,
        listeners: AlbListeners,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(type_token, name, None, opts)
        self.public = settings.public
        self.listeners = listeners
        self.class_name = settings.ingress_class_name

    def _register(
        self,
        load_balancer_id: pulumi.Output[str],
        dns_name: pulumi.Output[str],
        **more: pulumi.Output[str],
    ) -> None:
        """Set the shared outputs (and ``more``) as attributes and register them all."""
        self.load_balancer_id = load_balancer_id
        self.dns_name = dns_name
        self.ingress_class_name = pulumi.Output.from_input(self.class_name)
        self.register_outputs(
            {
                "load_balancer_id": self.load_balancer_id,
                "dns_name": self.dns_name,
                "ingress_class_name": self.ingress_class_name,
                **more,
            }
        )

    @property
    def serving(self) -> list[pulumi.Resource]:
        """What an app's Ingress depends on, so that a destroy removes the Ingress first."""
        raise NotImplementedError

    def ingress_annotations(
        self, app: str, annotations: Mapping[str, str]
    ) -> tuple[dict[str, str], str]:
        """The annotations and ``pathType`` of an app's Ingress on this ALB.

        Args:
            app: the app, ``namespace/name`` (for reports).
            annotations: its ``alb.ingress.kubernetes.io/*`` annotations.

        Returns:
            On Alibaba's controller the annotations as they are, and ``Prefix``.
        """
        return dict(annotations), "Prefix"
