"""consultation follow-up: a recommended practice or document (two nullable columns)

Revision ID: 205fa0b1180b
Revises: dd75d9e1daf8
Create Date: 2026-12-04 22:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '205fa0b1180b'
down_revision = 'dd75d9e1daf8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_consultation_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_document_id'), ['document_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consultation_practice_id_practice'), 'practice', ['practice_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_consultation_document_id_document'), 'document', ['document_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultation_document_id_document'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_consultation_practice_id_practice'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consultation_document_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_practice_id'))
        batch_op.drop_column('document_id')
        batch_op.drop_column('practice_id')
