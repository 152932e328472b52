"""Records made through the services for the matching view tests and the permission matrix."""

from types import SimpleNamespace

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.models import IndustryField
from tmhub.core.roles import Role
from tmhub.orgs.services import update_organization
from tmhub.talent import services as talent
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ManagerRole


def matching_world(personas) -> SimpleNamespace:
    """A published and a draft achievement and demand, a project with a lead manager, a second
    manager with a profile in the project's field, and a described service provider."""
    ai = IndustryField.objects.get(code="AI")
    admin, university = personas.institution_admin, personas.university
    inventors = [{"name": "李四", "share": 100}]
    published = transfer.create_achievement(
        actor=admin, owner=university, inventors=inventors, field=ai, trl=6,
        title="基于深度学习的工业缺陷视觉检测方法",
        abstract="提出一种基于卷积神经网络的工业产品表面缺陷视觉检测方法，检测准确率高。")
    published = transfer.publish_achievement(published, actor=admin)
    draft = transfer.create_achievement(
        actor=admin, owner=university, inventors=inventors, title="视觉检测（保密草稿）",
        abstract="尚未公开的视觉检测成果。")
    demand = transfer.create_demand(
        actor=personas.enterprise, organization=personas.company, field=ai,
        title="产线表面缺陷视觉检测", problem="需要基于深度学习的表面缺陷视觉检测方案。")
    demand = transfer.publish_demand(demand, actor=personas.enterprise)
    draft_demand = transfer.create_demand(
        actor=personas.enterprise, organization=personas.company, title="未发布的需求",
        problem="视觉检测需求草稿。")
    project = transfer.create_project(actor=admin, institution=university,
                                      title="工业视觉检测成果转化", field=ai,
                                      achievements=[published])
    transfer.assign_manager(project, actor=admin, user=personas.manager, role=ManagerRole.LEAD)
    colleague = create_user(actor=SYSTEM, username="m_colleague", password=None,
                            display_name="王五")
    grant_membership(actor=SYSTEM, user=colleague, role=Role.MANAGER, organization=university)
    profile = talent.create_profile(actor=admin, user=colleague, employer=university,
                                    work_district=university.district, fields=[ai],
                                    bio="长期从事人工智能与机器视觉成果的转化，熟悉工业检测场景。")
    update_organization(personas.provider_org, actor=SYSTEM,
                        description="专利申请代理、专利检索分析与知识产权评估服务。")
    return SimpleNamespace(published=published, draft=draft, demand=demand,
                           draft_demand=draft_demand, project=project, colleague=profile)
