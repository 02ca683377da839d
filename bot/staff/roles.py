"""Roles from the catalog's glossary. Playbooks notify roles; staff hold one or more."""

from __future__ import annotations

from bot.i18n import N_

ROLES: dict[str, str] = {
    "guard": N_("Security guard"),
    "foreman": N_("Shift foreman"),
    "security_chief": N_("Security chief"),
    "service_centre_head": N_("Service-centre head"),
    "property_manager": N_("Property manager"),
    "duty_manager": N_("Duty manager"),
    "complaint_officer": N_("Complaint officer / follow-up specialist"),
    "drill_coordinator": N_("Drill coordinator"),
    "manager": N_("Manager"),
    "general_manager": N_("General manager"),
    "store_manager": N_("Store manager"),
    "department_manager": N_("Department manager"),
    "customer_service_manager": N_("Customer-service manager"),
    "engineer": N_("Engineer"),
    "admin": N_("Administrator"),
}


def is_role(name: str) -> bool:
    return name in ROLES
