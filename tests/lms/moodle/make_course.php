<?php
// Run by tests/lms/moodle.py inside the Moodle container: a course, a student enrolled in it, and
// one SCORM activity per zip in /packages. Prints what it made as JSON:
//   {"course": id, "activities": [{"zip", "cmid", "scorm", "scoes": [{"id", "identifier", "title", "launch"}]}]}
define('CLI_SCRIPT', true);
require('/var/www/html/config.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->dirroot . '/course/modlib.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->libdir . '/enrollib.php');

$student_password = $argv[1] ?? 'Murid-123';
\core\session\manager::set_user(get_admin());

$course = $DB->get_record('course', ['shortname' => 'modpack']);
if (!$course) {
    $course = create_course((object)['fullname' => 'modpack: uji paket', 'shortname' => 'modpack', 'category' => 1,
                                     'enablecompletion' => 1]);
}
$student = $DB->get_record('user', ['username' => 'murid']);
if (!$student) {
    $id = user_create_user((object)['username' => 'murid', 'password' => $student_password, 'firstname' => 'Murid',
                                    'lastname' => 'Uji', 'email' => 'murid@example.invalid', 'auth' => 'manual',
                                    'confirmed' => 1, 'mnethostid' => $CFG->mnet_localhost_id, 'lang' => 'en']);
    $student = $DB->get_record('user', ['id' => $id]);
}
$enrol = enrol_get_plugin('manual');
$instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
$role = $DB->get_record('role', ['shortname' => 'student'], '*', MUST_EXIST);
$enrol->enrol_user($instance, $student->id, $role->id);

$fs = get_file_storage();
$usercontext = context_user::instance(get_admin()->id);
$made = ['course' => (int)$course->id, 'activities' => []];
foreach (glob('/packages/*.zip') as $zip) {
    $draft = file_get_unused_draft_itemid();
    $fs->create_file_from_pathname(['contextid' => $usercontext->id, 'component' => 'user', 'filearea' => 'draft',
                                    'itemid' => $draft, 'filepath' => '/', 'filename' => basename($zip)], $zip);
    $info = (object)[
        'modulename' => 'scorm', 'course' => $course->id, 'section' => 0, 'visible' => 1,
        'name' => basename($zip, '.zip'), 'introeditor' => ['text' => '', 'format' => FORMAT_HTML, 'itemid' => 0],
        'scormtype' => 'local', 'packagefile' => $draft,
        'popup' => 0, 'width' => 100, 'height' => 500, 'skipview' => 0, 'hidebrowse' => 0, 'displaycoursestructure' => 1,
        'hidetoc' => 0, 'nav' => 1, 'displayattemptstatus' => 1, 'displayactivityname' => 1,
        'grademethod' => 1, 'maxgrade' => 100, 'maxattempt' => 0, 'whatgrade' => 0, 'forcenewattempt' => 0,
        'lastattemptlock' => 0, 'forcecompleted' => 0, 'auto' => 0, 'updatefreq' => 0, 'masteryoverride' => 1,
        'completion' => 0, 'cmidnumber' => '',
    ];
    $module = create_module($info);
    $scoes = $DB->get_records_select('scorm_scoes', "scorm = ? AND launch <> ''", [$module->instance], 'sortorder',
                                     'id, identifier, title, launch');
    $made['activities'][] = ['zip' => basename($zip), 'cmid' => (int)$module->coursemodule,
                             'scorm' => (int)$module->instance,
                             'scoes' => array_map(fn($s) => ['id' => (int)$s->id, 'identifier' => $s->identifier,
                                                              'title' => $s->title, 'launch' => $s->launch],
                                       array_values($scoes))];
}
echo json_encode($made), "\n";
