"""Which RAM actions the deployer needs, per Alibaba Cloud resource type and invoke.

One row per ``alicloud:*`` type token the components register (and per invoke they call): every
API call the Terraform provider makes in that resource's create, read, update and delete, where
it makes it, and the RAM action the call needs. pulumi-alicloud is bridged from
aliyun/terraform-provider-alicloud (token -> Terraform name in pulumi/pulumi-alicloud
``provider/resources.go``: ``alicloud_vpc`` -> ``vpc/network:Network``, ...), so the provider's Go
code is what runs on ``pulumi up``. Every ``where`` below is ``<file in alicloud/>:<function>``
in that repository (snapshot 81c43b67, 2026-08-21), and the function's body contains ``api``;
tests/deploy/test_ram_table.py checks both against the snapshot when it is on the machine.

Calls the provider only makes for arguments the components never set (a default VPC, IPv6,
resource groups, ...) are listed in ``not_granted`` with the argument that would trigger them,
so that the least-privilege policy leaves them out on purpose, not by oversight.

RAM action names. The RAM action of an API is ``<RamCode>:<API name>``; the RamCodes are
documented per service: ``vpc`` for VPC, vSwitch, NAT Gateway and EIP (NAT Gateway "RAM
authorization", https://alibabacloud.com/help/en/nat-gateway/security-and-compliance/
api-vpc-2016-04-28-ram-natgws-1694097224843; EIP https://www.alibabacloud.com/help/doc-detail/
317671.htm), ``cs`` for ACK (https://help.aliyun.com/en/ack/ack-managed-and-ack-dedicated/
developer-reference/api-cs-2015-12-15-ram), ``alb`` for ALB (EnableLoadBalancerAccessLog's
authorization table: ``alb:EnableLoadBalancerAccessLog``), ``pvtz`` for PrivateZone
(https://help.aliyun.com/en/dns/api-pvtz-2018-01-01-ram). Mappings that are not the API name:

- PrivateZone's authorization table spells the untag action ``pvtz:UntagResources`` for the
  API the provider calls as ``UnTagResources``; the table's spelling is used.
- The ACK calls made through the old aliyungo SDK (``DescribeKubernetesClusterDetail``, a
  ``GET /clusters/{id}``) are the ``DescribeClusterDetail`` API, so ``cs:DescribeClusterDetail``.

Confirmed one by one in Alibaba's pages: cs:CreateCluster, cs:DeleteCluster, cs:ModifyCluster,
cs:ModifyClusterAddon, cs:GetClusterAddonInstance, cs:CheckControlPlaneLogEnable,
cs:DescribeKubernetesVersionMetadata, cs:DescribeClusterAddonsUpgradeStatus; alb:Create/
DeleteLoadBalancer, alb:UpdateLoadBalancerAttribute, alb:GetLoadBalancerAttribute,
alb:Enable/DisableLoadBalancerAccessLog, alb:Enable/DisableDeletionProtection (the ALB clone
service-linked policy lists them); pvtz:BindZoneVpc, pvtz:UntagResources; vpc:AllocateEipAddress,
vpc:AssociateEipAddress, vpc:UnassociateEipAddress, vpc:ReleaseEipAddress,
vpc:DescribeEipAddresses, vpc:DescribeNatGateways, vpc:DescribeVSwitchAttributes,
vpc:DescribeVpcAttribute, vpc:TagResources. The others follow the documented RamCode + API name
rule and were not found on a page of their own (not confirmed one by one).

ACS clusters: they are ``cs.ManagedKubernetes(profile="Acs")``, the same type token, and
"ACS clusters are a type of ACK Serverless cluster ... All cluster O&M operations ... go through
the ACK API" (https://www.alibabacloud.com/help/en/cs/user-guide/best-practices-of-authorization);
ACS's own custom-policy page grants ``cs:Describe*`` on ``acs:cs:*:*:cluster/<id>``
(https://www.alibabacloud.com/help/en/cs/user-guide/custom-ram-authorization-policy). So the
``cs:`` rows cover ACS, ASK and ACK Pro alike. Not verified: the content of the system policy
``AliyunAccFullAccess`` (whether ACS needs actions of another RamCode) and how
``AliyunCSFullAccess`` "excludes ACS-type clusters" (a condition this policy does not use).
"""

from __future__ import annotations

from dataclasses import dataclass

PHASES = ("create", "read", "update", "delete")
"""The provider functions a call can happen in."""

_PHASE_LETTERS = {"C": "create", "R": "read", "U": "update", "D": "delete"}


@dataclass(frozen=True)
class ProviderCall:
    """One API call the provider makes for a resource, and the RAM action it needs.

    Attributes:
        action: the RAM action (``vpc:CreateVpc``).
        api: the API or SDK method name as the provider's source spells it (``CreateVpc``).
        where: ``<file in alicloud/>:<function>`` whose body makes the call.
        phases: which of create, read, update and delete reach the call.
    """

    action: str
    api: str
    where: str
    phases: tuple[str, ...]


@dataclass(frozen=True)
class NotGranted:
    """A call the provider makes only for an argument the components never set.

    Attributes:
        action: the RAM action the call would need.
        api: the API name as the provider's source spells it.
        where: ``<file in alicloud/>:<function>`` whose body makes the call.
        trigger: the Terraform argument that leads to the call.
    """

    action: str
    api: str
    where: str
    trigger: str


@dataclass(frozen=True)
class ServiceLinkedRole:
    """A service-linked role the cloud creates on first use, with the caller's permission.

    Attributes:
        role: the role's name.
        service_name: the ``ram:ServiceName`` condition value ``ram:CreateServiceLinkedRole``
            is granted for.
        source: where the role and its service name are documented.
    """

    role: str
    service_name: str
    source: str


@dataclass(frozen=True)
class RamRow:
    """The RAM actions one resource type or invoke needs.

    Attributes:
        token: the Pulumi type token (``alicloud:vpc/network:Network``) or invoke token.
        terraform: the Terraform resource or data source it is bridged from.
        calls: every API call of its create, read, update and delete that the components can
            trigger.
        not_granted: calls left out of the policy, with the argument that would trigger them.
        service_linked_roles: roles the first create makes the cloud create.
    """

    token: str
    terraform: str
    calls: tuple[ProviderCall, ...]
    not_granted: tuple[NotGranted, ...] = ()
    service_linked_roles: tuple[ServiceLinkedRole, ...] = ()

    @property
    def actions(self) -> frozenset[str]:
        """Every RAM action this row grants."""
        return frozenset(call.action for call in self.calls)


def _call(phases: str, action: str, where: str, api: str | None = None) -> ProviderCall:
    """A call in the phases named by letters (``"CRUD"``); the API name defaults to the
    action's."""
    return ProviderCall(
        action=action,
        api=api or action.split(":", 1)[1],
        where=where,
        phases=tuple(_PHASE_LETTERS[letter] for letter in phases),
    )


def _skip(action: str, where: str, trigger: str, api: str | None = None) -> NotGranted:
    return NotGranted(action, api or action.split(":", 1)[1], where, trigger)


# Files of the provider (alicloud/ in aliyun/terraform-provider-alicloud).
_VPC = "resource_alicloud_vpc.go"
_VSW = "resource_alicloud_vswitch.go"
_NAT = "resource_alicloud_nat_gateway.go"
_EIP = "resource_alicloud_eip_address.go"
_EIPA = "resource_alicloud_eip_association.go"
_SNAT = "resource_alicloud_snat_entry.go"
_ACK = "resource_alicloud_cs_managed_kubernetes.go"
_ACK_COMMON = "resource_alicloud_cs_kubernetes.go"
_ADDON = "resource_alicloud_cs_kubernetes_addon.go"
_ALB = "resource_alicloud_alb_load_balancer.go"
_ZONE = "resource_alicloud_pvtz_zone.go"
_ZONE_ATT = "resource_alicloud_pvtz_zone_attachment.go"
_RECORD = "resource_alicloud_pvtz_zone_record.go"
_VPC_SVC = "service_alicloud_vpc.go"
_VPC_SVC2 = "service_alicloud_vpc_v2.go"
_EIP_SVC = "service_alicloud_eip_v2.go"
_NAT_SVC = "service_alicloud_nat_gateway_v2.go"
_CS_SVC = "service_alicloud_cs.go"
_ALB_SVC = "service_alicloud_alb_v2.go"
_PVTZ_SVC = "service_alicloud_pvtz.go"

# Tags: Create ends by calling Update, where d.HasChange("tags") is true for a new resource, so
# TagResources runs on create as well as on a tag change; UnTagResources only when a tag goes.
_VPC_TAGS = (
    _call("CU", "vpc:TagResources", f"{_VPC_SVC2}:SetResourceTags"),
    _call("U", "vpc:UnTagResources", f"{_VPC_SVC2}:SetResourceTags"),
)

NAT_GATEWAY_ROLE = ServiceLinkedRole(
    role="AliyunServiceRoleForNatgw",
    service_name="nat.aliyuncs.com",
    source="CreateNatGateway: 'The first time you create a NAT gateway, the system automatically "
    "creates the service-linked role AliyunServiceRoleForNatgw' "
    "(https://www.alibabacloud.com/help/doc-detail/36048.htm); service name nat.aliyuncs.com in "
    "AliyunServiceRolePolicyForNatgw",
)
ALB_ROLE = ServiceLinkedRole(
    role="AliyunServiceRoleForAlb",
    service_name="alb.aliyuncs.com",
    source="AliyunServiceRolePolicyForAlb (https://alibabacloud.com/help/en/ram/"
    "developer-reference/aliyunservicerolepolicyforalb); that the first CreateLoadBalancer "
    "creates it is inferred, not stated on a page found",
)
ALB_LOG_ROLE = ServiceLinkedRole(
    role="AliyunServiceRoleForAlbLogDelivery",
    service_name="logdelivery.alb.aliyuncs.com",
    source="AliyunServiceRolePolicyForAlbLogDelivery (https://alibabacloud.com/help/en/ram/"
    "developer-reference/aliyunservicerolepolicyforalblogdelivery); that the first "
    "EnableLoadBalancerAccessLog creates it is inferred, not stated on a page found",
)

RESOURCE_ROWS: tuple[RamRow, ...] = (
    RamRow(
        token="alicloud:vpc/network:Network",
        terraform="alicloud_vpc",
        calls=(
            _call("C", "vpc:CreateVpc", f"{_VPC}:resourceAliCloudVpcVpcCreate"),
            # Create waits for Available, Read reads it, Update and Delete wait on it.
            _call("CRUD", "vpc:DescribeVpcAttribute", f"{_VPC_SVC2}:DescribeVpcVpc"),
            # Read, and Update (reached from Create) unconditionally, for the system route table.
            _call(
                "CRU",
                "vpc:DescribeRouteTableList",
                f"{_VPC_SVC2}:DescribeVpcDescribeRouteTableList",
            ),
            # vpc_name, description or cidr_block changed.
            _call("U", "vpc:ModifyVpcAttribute", f"{_VPC}:resourceAliCloudVpcVpcUpdate"),
            *_VPC_TAGS,
            _call("D", "vpc:DeleteVpc", f"{_VPC}:resourceAliCloudVpcVpcDelete"),
        ),
        not_granted=(
            _skip("vpc:CreateDefaultVpc", f"{_VPC}:resourceAliCloudVpcVpcCreate", "is_default"),
            _skip(
                "vpc:EnableVpcClassicLink",
                f"{_VPC}:resourceAliCloudVpcVpcUpdate",
                "classic_link_enabled",
            ),
            _skip(
                "vpc:DisableVpcClassicLink",
                f"{_VPC}:resourceAliCloudVpcVpcUpdate",
                "classic_link_enabled",
            ),
            _skip(
                "vpc:MoveResourceGroup", f"{_VPC}:resourceAliCloudVpcVpcUpdate", "resource_group_id"
            ),
            _skip(
                "vpc:ModifyRouteTableAttributes",
                f"{_VPC}:resourceAliCloudVpcVpcUpdate",
                "system_route_table_name / _description / _route_propagation_enable",
            ),
            _skip(
                "vpc:AssociateVpcCidrBlock",
                f"{_VPC}:resourceAliCloudVpcVpcUpdate",
                "secondary_cidr_blocks",
            ),
            _skip(
                "vpc:UnassociateVpcCidrBlock",
                f"{_VPC}:resourceAliCloudVpcVpcUpdate",
                "secondary_cidr_blocks",
            ),
        ),
    ),
    RamRow(
        token="alicloud:vpc/switch:Switch",
        terraform="alicloud_vswitch",
        calls=(
            _call("C", "vpc:CreateVSwitch", f"{_VSW}:resourceAliCloudVpcVswitchCreate"),
            _call("CRUD", "vpc:DescribeVSwitchAttributes", f"{_VPC_SVC2}:DescribeVpcVswitch"),
            # vswitch_name changed.
            _call("U", "vpc:ModifyVSwitchAttribute", f"{_VSW}:resourceAliCloudVpcVswitchUpdate"),
            *_VPC_TAGS,
            _call("D", "vpc:DeleteVSwitch", f"{_VSW}:resourceAliCloudVpcVswitchDelete"),
        ),
        not_granted=(
            _skip(
                "vpc:CreateDefaultVSwitch", f"{_VSW}:resourceAliCloudVpcVswitchCreate", "is_default"
            ),
        ),
    ),
    RamRow(
        token="alicloud:vpc/natGateway:NatGateway",
        terraform="alicloud_nat_gateway",
        calls=(
            _call("C", "vpc:CreateNatGateway", f"{_NAT}:resourceAliCloudNatGatewayCreate"),
            _call("CRUD", "vpc:DescribeNatGateways", f"{_VPC_SVC}:DescribeNatGateway"),
            _call("R", "vpc:ListTagResources", f"{_VPC_SVC}:ListTagResources"),
            # nat_gateway_name changed.
            _call("U", "vpc:ModifyNatGatewayAttribute", f"{_NAT}:resourceAliCloudNatGatewayUpdate"),
            *_VPC_TAGS,
            _call("D", "vpc:DeleteNatGateway", f"{_NAT}:resourceAliCloudNatGatewayDelete"),
        ),
        not_granted=(
            _skip(
                "vpc:DeletionProtection",
                f"{_NAT}:resourceAliCloudNatGatewayUpdate",
                "deletion_protection",
            ),
            _skip(
                "vpc:ModifyNatGatewaySpec",
                f"{_NAT}:resourceAliCloudNatGatewayUpdate",
                "specification (PayBySpec gateways only)",
            ),
            _skip(
                "vpc:UpdateNatGatewayNatType",
                f"{_NAT}:resourceAliCloudNatGatewayUpdate",
                "nat_type (Enhanced is the only type; vswitch_id is ForceNew)",
            ),
        ),
        service_linked_roles=(NAT_GATEWAY_ROLE,),
    ),
    RamRow(
        token="alicloud:ecs/eipAddress:EipAddress",
        terraform="alicloud_eip_address",
        calls=(
            _call("C", "vpc:AllocateEipAddress", f"{_EIP}:resourceAliCloudEipAddressCreate"),
            _call("CRUD", "vpc:DescribeEipAddresses", f"{_EIP_SVC}:DescribeEipAddress"),
            # bandwidth or address_name changed.
            _call("U", "vpc:ModifyEipAddressAttribute", f"{_EIP}:resourceAliCloudEipAddressUpdate"),
            _call("CU", "vpc:TagResources", f"{_EIP_SVC}:SetResourceTags"),
            _call("U", "vpc:UnTagResources", f"{_EIP_SVC}:SetResourceTags"),
            _call("D", "vpc:ReleaseEipAddress", f"{_EIP}:resourceAliCloudEipAddressDelete"),
        ),
        not_granted=(
            _skip(
                "vpc:DescribeHighDefinitionMonitorLogAttribute",
                f"{_EIP_SVC}:DescribeDescribeHighDefinitionMonitorLogAttribute",
                "high_definition_monitor_log_status = ON",
            ),
            _skip(
                "vpc:SetHighDefinitionMonitorLogStatus",
                f"{_EIP}:resourceAliCloudEipAddressUpdate",
                "high_definition_monitor_log_status, log_project, log_store",
            ),
            _skip(
                "vpc:MoveResourceGroup",
                f"{_EIP}:resourceAliCloudEipAddressUpdate",
                "resource_group_id",
            ),
            _skip(
                "vpc:DeletionProtection",
                f"{_EIP}:resourceAliCloudEipAddressUpdate",
                "deletion_protection",
            ),
            _skip("vpc:ModifyEipForwardMode", f"{_EIP}:resourceAliCloudEipAddressUpdate", "mode"),
        ),
    ),
    RamRow(
        token="alicloud:ecs/eipAssociation:EipAssociation",
        terraform="alicloud_eip_association",
        calls=(
            _call("C", "vpc:AssociateEipAddress", f"{_EIPA}:resourceAliCloudEipAssociationCreate"),
            _call("CRD", "vpc:DescribeEipAddresses", f"{_EIP_SVC}:DescribeEipAssociation"),
            _call(
                "D", "vpc:UnassociateEipAddress", f"{_EIPA}:resourceAliCloudEipAssociationDelete"
            ),
        ),
        not_granted=(
            _skip(
                "vpc:ModifyEipForwardMode", f"{_EIPA}:resourceAliCloudEipAssociationUpdate", "mode"
            ),
        ),
    ),
    RamRow(
        token="alicloud:vpc/snatEntry:SnatEntry",
        terraform="alicloud_snat_entry",
        calls=(
            _call("C", "vpc:CreateSnatEntry", f"{_SNAT}:resourceAliCloudNATGatewaySnatEntryCreate"),
            _call(
                "CRUD", "vpc:DescribeSnatTableEntries", f"{_NAT_SVC}:DescribeNATGatewaySnatEntry"
            ),
            # snat_entry_name or snat_ip changed.
            _call("U", "vpc:ModifySnatEntry", f"{_SNAT}:resourceAliCloudNATGatewaySnatEntryUpdate"),
            _call("D", "vpc:DeleteSnatEntry", f"{_SNAT}:resourceAliCloudNATGatewaySnatEntryDelete"),
        ),
    ),
    RamRow(
        token="alicloud:cs/managedKubernetes:ManagedKubernetes",
        terraform="alicloud_cs_managed_kubernetes",
        calls=(
            # The VPC of vswitch_ids[0], before CreateCluster.
            _call("C", "vpc:DescribeVSwitchAttributes", f"{_VPC_SVC}:DescribeVSwitch"),
            _call("C", "cs:CreateCluster", f"{_ACK}:resourceAlicloudCSManagedKubernetesCreate"),
            # Create, Update (ModifyCluster, UpgradeCluster) and Delete wait for their task.
            _call("CUD", "cs:DescribeTaskInfo", f"{_CS_SVC}:DescribeTaskRefreshFunc"),
            # ... and then for the cluster's state (old SDK: GET /clusters/{id}).
            _call(
                "CUD",
                "cs:DescribeClusterDetail",
                f"{_CS_SVC}:DescribeCsKubernetes",
                api="DescribeKubernetesClusterDetail",
            ),
            _call("R", "cs:DescribeClusterDetail", f"{_CS_SVC}:DescribeClusterDetail"),
            # Read sets nat_gateway_id from the cluster VPC's gateways.
            _call(
                "R", "vpc:DescribeNatGateways", f"{_ACK}:resourceAlicloudCSManagedKubernetesRead"
            ),
            # Read's setCerts; a failure there is only logged, but then certificate outputs stay
            # empty.
            _call(
                "R",
                "cs:DescribeClusterUserKubeconfig",
                f"{_CS_SVC}:DescribeClusterKubeConfigWithExpiration",
            ),
            _call("R", "cs:CheckControlPlaneLogEnable", f"{_ACK}:checkControlPlaneLogEnable"),
            _call("R", "cs:GetClusterAuditProject", f"{_ACK}:getClusterAuditProject"),
            # name, deletion_protection (turned off before a destroy), enable_rrsa, vswitch_ids.
            _call("U", "cs:ModifyCluster", f"{_ACK_COMMON}:modifyCluster"),
            _call("U", "cs:ModifyClusterTags", f"{_ACK}:updateKubernetesClusterTag"),
            # cluster_spec ack.standard -> ack.pro.* (edition basic -> pro).
            _call("U", "cs:MigrateCluster", f"{_ACK}:migrateAlicloudManagedKubernetesCluster"),
            # version changed; a failed upgrade task is cancelled (its error is ignored).
            _call("U", "cs:UpgradeCluster", f"{_ACK}:UpgradeAlicloudKubernetesCluster"),
            _call("U", "cs:CancelTask", f"{_ACK}:UpgradeAlicloudKubernetesCluster"),
            _call("D", "cs:DeleteCluster", f"{_ACK_COMMON}:resourceAlicloudCSKubernetesDelete"),
        ),
        not_granted=(
            _skip(
                "cs:UpdateControlPlaneLog",
                f"{_ACK}:updateControlPlaneLog",
                "control_plane_log_ttl / _project / _components",
            ),
            _skip(
                "cs:UpdateClusterAuditLogConfig",
                f"{_ACK}:updateClusterAuditConfig",
                "audit_log_config",
            ),
            _skip(
                "cs:UpdateKMSEncryption",
                f"{_ACK}:updateClusterKMSEncryption",
                "encryption_provider_key / disable_encryption",
            ),
        ),
    ),
    RamRow(
        token="alicloud:cs/kubernetesAddon:KubernetesAddon",
        terraform="alicloud_cs_kubernetes_addon",
        calls=(
            _call("CRUD", "cs:GetClusterAddonInstance", f"{_CS_SVC}:GetCsKubernetesAddonInstance"),
            _call("CR", "cs:DescribeAddon", f"{_CS_SVC}:DescribeAddon"),
            _call("C", "cs:InstallClusterAddons", f"{_CS_SVC}:installAddon"),
            _call("CUD", "cs:DescribeTaskInfo", f"{_CS_SVC}:DescribeTaskRefreshFunc"),
            # Create of an add-on that is already there, or version/config changed.
            _call("CU", "cs:UpgradeClusterAddons", f"{_CS_SVC}:upgradeAddon"),
            _call("CU", "cs:ModifyClusterAddon", f"{_CS_SVC}:updateAddonConfig"),
            _call(
                "CU",
                "cs:DescribeClusterAddonsUpgradeStatus",
                f"{_CS_SVC}:DescribeCsKubernetesAddonStatus",
            ),
            _call("D", "cs:UnInstallClusterAddons", f"{_CS_SVC}:uninstallAddon"),
        ),
    ),
    RamRow(
        token="alicloud:alb/loadBalancer:LoadBalancer",
        terraform="alicloud_alb_load_balancer",
        calls=(
            _call("C", "alb:CreateLoadBalancer", f"{_ALB}:resourceAliCloudAlbLoadBalancerCreate"),
            _call("CRUD", "alb:GetLoadBalancerAttribute", f"{_ALB_SVC}:DescribeAlbLoadBalancer"),
            # deletion_protection_enabled: on in prod, turned off before a destroy.
            _call(
                "U", "alb:EnableDeletionProtection", f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate"
            ),
            _call(
                "U",
                "alb:DisableDeletionProtection",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
            ),
            # load_balancer_name, load_balancer_edition, zone_mappings (a zone added),
            # address_type (ingress.public changed).
            _call(
                "U",
                "alb:UpdateLoadBalancerAttribute",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
            ),
            _call(
                "U",
                "alb:UpdateLoadBalancerEdition",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
            ),
            _call(
                "U", "alb:UpdateLoadBalancerZones", f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate"
            ),
            _call(
                "U",
                "alb:UpdateLoadBalancerAddressTypeConfig",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
            ),
            _call("CU", "alb:TagResources", f"{_ALB_SVC}:SetResourceTags"),
            _call("U", "alb:UnTagResources", f"{_ALB_SVC}:SetResourceTags"),
            # access_log_config set (on create too) or removed.
            _call(
                "CU",
                "alb:EnableLoadBalancerAccessLog",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
            ),
            _call(
                "U",
                "alb:DisableLoadBalancerAccessLog",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
            ),
            _call("D", "alb:DeleteLoadBalancer", f"{_ALB}:resourceAliCloudAlbLoadBalancerDelete"),
            # Delete waits for the asynchronous job.
            _call("D", "alb:ListAsynJobs", f"{_ALB_SVC}:DescribeAsyncListAsynJobs"),
        ),
        not_granted=(
            _skip(
                "alb:EnableLoadBalancerIpv6Internet",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
                "ipv6_address_type",
            ),
            _skip(
                "alb:DisableLoadBalancerIpv6Internet",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
                "ipv6_address_type",
            ),
            _skip(
                "alb:MoveResourceGroup",
                f"{_ALB}:resourceAliCloudAlbLoadBalancerUpdate",
                "resource_group_id",
            ),
        ),
        service_linked_roles=(ALB_ROLE, ALB_LOG_ROLE),
    ),
    RamRow(
        token="alicloud:pvtz/zone:Zone",
        terraform="alicloud_pvtz_zone",
        calls=(
            _call("C", "pvtz:AddZone", f"{_ZONE}:resourceAlicloudPvtzZoneCreate"),
            # remark is set: Update (reached from Create) sends it.
            _call("CU", "pvtz:UpdateZoneRemark", f"{_ZONE}:resourceAlicloudPvtzZoneUpdate"),
            _call("CU", "pvtz:TagResources", f"{_PVTZ_SVC}:SetResourceTags"),
            _call("U", "pvtz:UntagResources", f"{_PVTZ_SVC}:SetResourceTags", api="UnTagResources"),
            _call("R", "pvtz:DescribeZoneInfo", f"{_PVTZ_SVC}:DescribePvtzZoneBasic"),
            _call("R", "pvtz:DescribeSyncEcsHostTask", f"{_PVTZ_SVC}:DescribeSyncEcsHostTask"),
            _call("R", "pvtz:ListTagResources", f"{_PVTZ_SVC}:DescribeListTagResources"),
            _call("D", "pvtz:DeleteZone", f"{_ZONE}:resourceAlicloudPvtzZoneDelete"),
        ),
        not_granted=(
            _skip(
                "pvtz:SetProxyPattern", f"{_ZONE}:resourceAlicloudPvtzZoneUpdate", "proxy_pattern"
            ),
            _skip(
                "pvtz:ChangeZoneDnsGroup", f"{_ZONE}:resourceAlicloudPvtzZoneUpdate", "dns_group"
            ),
            _skip(
                "pvtz:UpdateSyncEcsHostTask",
                f"{_ZONE}:resourceAlicloudPvtzZoneUpdate",
                "sync_status / user_info",
            ),
        ),
    ),
    RamRow(
        token="alicloud:pvtz/zoneAttachment:ZoneAttachment",
        terraform="alicloud_pvtz_zone_attachment",
        calls=(
            # Create and Update bind the VPCs; Delete binds an empty list.
            _call("C", "pvtz:BindZoneVpc", f"{_ZONE_ATT}:resourceAlicloudPvtzZoneAttachmentCreate"),
            _call("U", "pvtz:BindZoneVpc", f"{_ZONE_ATT}:resourceAlicloudPvtzZoneAttachmentUpdate"),
            _call("D", "pvtz:BindZoneVpc", f"{_ZONE_ATT}:resourceAlicloudPvtzZoneAttachmentDelete"),
            # Create, Update and Delete wait for the binding (WaitForZoneAttachment and
            # WaitForPvtzZoneAttachment read it back).
            _call("CRUD", "pvtz:DescribeZoneInfo", f"{_PVTZ_SVC}:DescribePvtzZoneAttachment"),
        ),
    ),
    RamRow(
        token="alicloud:pvtz/zoneRecord:ZoneRecord",
        terraform="alicloud_pvtz_zone_record",
        calls=(
            _call("C", "pvtz:AddZoneRecord", f"{_RECORD}:resourceAlicloudPvtzZoneRecordCreate"),
            _call("CRUD", "pvtz:DescribeZoneRecords", f"{_PVTZ_SVC}:DescribePvtzZoneRecord"),
            # status defaults to ENABLE, so Update (reached from Create) sets it.
            _call(
                "CU", "pvtz:SetZoneRecordStatus", f"{_RECORD}:resourceAlicloudPvtzZoneRecordUpdate"
            ),
            # rr, type, value or ttl changed.
            _call("U", "pvtz:UpdateZoneRecord", f"{_RECORD}:resourceAlicloudPvtzZoneRecordUpdate"),
            _call("D", "pvtz:DeleteZoneRecord", f"{_RECORD}:resourceAlicloudPvtzZoneRecordDelete"),
        ),
        not_granted=(
            _skip(
                "pvtz:UpdateRecordRemark",
                f"{_RECORD}:resourceAlicloudPvtzZoneRecordUpdate",
                "remark",
            ),
        ),
    ),
)
"""Every Alibaba Cloud resource type the components register."""

INVOKE_ROWS: tuple[RamRow, ...] = (
    RamRow(
        token="alicloud:cs/getClusterCredential:getClusterCredential",
        terraform="alicloud_cs_cluster_credential",
        calls=(
            _call(
                "R",
                "cs:DescribeClusterDetail",
                "data_source_alicloud_cs_cluster_credential.go:dataSourceAlicloudCSClusterCredentialRead",
            ),
            _call(
                "R",
                "cs:DescribeClusterUserKubeconfig",
                f"{_CS_SVC}:DescribeClusterKubeConfigWithExpiration",
            ),
        ),
    ),
    RamRow(
        token="alicloud:cs/getClusters:getClusters",
        terraform="alicloud_cs_clusters",
        calls=(
            # GET /regions/{region}/clusters, without enable_details (the deployed cluster's
            # current_version for the version resolution, cluster/lookup.py).
            _call(
                "R",
                "cs:DescribeClustersForRegion",
                "data_source_alicloud_cs_clusters.go:dataSourceAliCloudAckClusterRead",
            ),
        ),
    ),
    RamRow(
        token="alicloud:cs/getKubernetesVersion:getKubernetesVersion",
        terraform="alicloud_cs_kubernetes_version",
        calls=(
            _call(
                "R",
                "cs:DescribeKubernetesVersionMetadata",
                "data_source_alicloud_cs_kubernetes_version.go:describeKubernetesVersionMetadata",
            ),
        ),
    ),
)
"""Every Alibaba Cloud invoke the components call."""

IMPLIED_INVOKES: dict[str, tuple[str, ...]] = {
    # AskCluster reads the kubeconfig with get_cluster_credential and resolves the version with
    # get_kubernetes_version and get_clusters (the deployed one's). The offline preview cannot
    # record invokes: a preview does not call those whose inputs are unknown (the cluster id),
    # so they follow from the cluster.
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (
        "alicloud:cs/getClusterCredential:getClusterCredential",
        "alicloud:cs/getClusters:getClusters",
        "alicloud:cs/getKubernetesVersion:getKubernetesVersion",
    ),
}
"""Invokes a program calls because it registers a resource type."""

RAM_CODES: frozenset[str] = frozenset({"vpc", "cs", "alb", "pvtz", "ram"})
"""The RamCodes (action prefixes) a policy may hold; ``ram`` for the service-linked roles."""

ROWS_BY_TOKEN: dict[str, RamRow] = {row.token: row for row in RESOURCE_ROWS + INVOKE_ROWS}
"""Every row, by resource type or invoke token."""
