"""Eligibility rules. Importing this package registers every rule.

The import order below is the order findings are reported in (the notice's order), so keep it.
"""

# isort: skip_file
from zhicheng.policy.rules import applicant  # noqa: F401  一, 五（四）
from zhicheng.policy.rules import ladder  # noqa: F401  二（一）
from zhicheng.policy.rules import seniority  # noqa: F401  二（二）
from zhicheng.policy.rules import education  # noqa: F401  二（三）
from zhicheng.policy.rules import qualifications  # noqa: F401  二（四）
from zhicheng.policy.rules import routes  # noqa: F401  二（五）（六）
from zhicheng.policy.rules import exams  # noqa: F401  二（七）
from zhicheng.policy.rules import transfer  # noqa: F401  二（八）
from zhicheng.policy.rules import continuing  # noqa: F401  二（九）
from zhicheng.policy.rules import titles  # noqa: F401  二（十）
from zhicheng.policy.rules import initial  # noqa: F401  二（十一）
from zhicheng.policy.rules import plan  # noqa: F401  附件
