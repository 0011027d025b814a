"""the approving act's kind on a plan; the authority and the act's issuer in the genitive on a district

«утверждён приказом Отдела образования …», «утверждено постановлением Администрации …»: the kind of act
approving a plan is stored (приказ, постановление, распоряжение), and the district keeps the genitive
forms its documents need. Existing districts get the genitives of their preset.

Revision ID: 7e4a9c2d51b8
Revises: 7e3a9c51d2b4
Create Date: 2026-12-04 20:40:00.000000

"""
import tomllib
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e4a9c2d51b8'
down_revision = '7e3a9c51d2b4'
branch_labels = None
depends_on = None

PRESETS = Path(__file__).resolve().parents[2] / "oms" / "presets"


def upgrade():
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('authority_genitive', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('act_issuer_genitive', sa.String(length=300), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('act_kind', sa.String(length=30), nullable=False, server_default='order'))

    tenant = sa.table('tenant', sa.column('preset', sa.String), sa.column('authority', sa.String),
                      sa.column('act_issuer', sa.String), sa.column('authority_genitive', sa.String),
                      sa.column('act_issuer_genitive', sa.String))
    for path in sorted(PRESETS.glob("*.toml")):
        profile = tomllib.loads(path.read_text(encoding="utf-8")).get("profile", {})
        for field, source in (("authority_genitive", "authority"), ("act_issuer_genitive", "act_issuer")):
            if profile.get(field) and profile.get(source):
                # only where the district still has its preset's nominative
                op.execute(tenant.update().where(tenant.c.preset == path.stem,
                                                 tenant.c[source] == profile[source])
                           .values({field: profile[field]}))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('act_kind')
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('act_issuer_genitive')
        batch_op.drop_column('authority_genitive')
