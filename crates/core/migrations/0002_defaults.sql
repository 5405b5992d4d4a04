-- The defaults every new store starts with: permissions, the three default roles, the field
-- catalogue, consent channels and the synchronization rule. (The first administrator is
-- created by `Store::open`, which knows the OS user name.)

INSERT INTO permissions(key, description) VALUES
    ('profile.view',    'See profiles'),
    ('profile.create',  'Create profiles'),
    ('profile.edit',    'Edit profiles'),
    ('profile.import',  'Import and paste profiles'),
    ('profile.export',  'Export profiles'),
    ('profile.delete',  'Delete profiles'),
    ('audit.view',      'See the audit log'),
    ('settings.manage', 'Manage settings, fields, users and roles');

INSERT INTO roles(id, name, builtin) VALUES (1, 'Administrator', 1), (2, 'Sales', 1), (3, 'Viewer', 1);
INSERT INTO role_permissions(role_id, permission) SELECT 1, key FROM permissions;
INSERT INTO role_permissions(role_id, permission) VALUES
    (2, 'profile.view'), (2, 'profile.create'), (2, 'profile.edit'),
    (2, 'profile.import'), (2, 'profile.export'),
    (3, 'profile.view');

INSERT INTO fields(key, label, kind, builtin, mandatory, displayed, position, options, synonyms) VALUES
    ('full_name', 'Full name', 'text', 1, 0, 1, 10, '[]',
        '["Họ và tên","Họ tên","Tên khách hàng","Tên","Full name","Name","Customer name","Ho va ten"]'),
    ('phones', 'Phones', 'phones', 1, 0, 1, 20, '[]',
        '["SĐT","SDT","Số điện thoại","Điện thoại","Di động","Phone","Phone number","Mobile","Tel","Telephone"]'),
    ('emails', 'E-mails', 'emails', 1, 0, 1, 30, '[]',
        '["Email","E-mail","Thư điện tử","Mail","Email address"]'),
    ('gender', 'Gender', 'select', 1, 0, 0, 40,
        '[{"value":"male","label":"Male"},{"value":"female","label":"Female"},{"value":"other","label":"Other"},{"value":"unknown","label":"Unknown"}]',
        '["Giới tính","Gender","Sex"]'),
    ('birthday', 'Birthday', 'date', 1, 0, 0, 50, '[]',
        '["Ngày sinh","Sinh nhật","Birthday","Date of birth","DOB"]'),
    ('address', 'Address', 'text', 1, 0, 0, 60, '[]', '["Địa chỉ","Address"]'),
    ('city', 'City', 'text', 1, 0, 1, 70, '[]',
        '["Thành phố","Tỉnh/Thành phố","Tỉnh thành","Tỉnh","City","Province"]'),
    ('company', 'Company', 'text', 1, 0, 1, 80, '[]',
        '["Công ty","Tên công ty","Doanh nghiệp","Company","Organisation","Organization"]'),
    ('job_title', 'Job title', 'text', 1, 0, 0, 90, '[]',
        '["Chức vụ","Chức danh","Job title","Title","Position"]'),
    ('customer_code', 'Customer code', 'text', 1, 0, 1, 100, '[]',
        '["Mã khách hàng","Mã KH","Customer code","Customer ID","CIF","Code"]'),
    ('tags', 'Tags', 'tags', 1, 0, 0, 110, '[]', '["Nhãn","Thẻ","Tags","Labels"]'),
    ('note', 'Note', 'longText', 1, 0, 0, 120, '[]', '["Ghi chú","Note","Notes","Comment"]'),
    ('source', 'Source', 'system', 1, 0, 0, 900, '[]', '[]'),
    ('created_at', 'Created at', 'system', 1, 0, 1, 910, '[]', '[]'),
    ('updated_at', 'Updated at', 'system', 1, 0, 0, 920, '[]', '[]'),
    ('created_by', 'Created by', 'system', 1, 0, 0, 930, '[]', '[]'),
    ('updated_by', 'Updated by', 'system', 1, 0, 0, 940, '[]', '[]');

INSERT INTO consent_channels(key, label, builtin, position) VALUES
    ('email', 'E-mail', 1, 10), ('sms', 'SMS', 1, 20), ('phone_call', 'Phone call', 1, 30);

INSERT INTO settings(key, value) VALUES
    ('sync.match_keys', '["phone","email","customer_code"]'),
    ('sync.default_region', 'VN'),
    ('sync.merge_policy', 'overwrite'),
    ('limits.file_bytes', '10485760'),
    ('limits.file_rows', '50000'),
    ('limits.paste_rows', '1000'),
    ('limits.export_direct_rows', '1000'),
    ('limits.mail_attachment_bytes', '20971520');
