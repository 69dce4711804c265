// Unit test of snn_crossbar: 5 ports of 6 bits; every output carries the input its select
// names, for random inputs and selects (repeats included).
`timescale 1ns / 1ps
module tb_snn_crossbar;
    reg [29:0] in;
    reg [14:0] sel;
    wire [29:0] out;
    snn_crossbar #(.N(5), .WIDTH(6), .SEL_W(3)) dut (.in(in), .sel(sel), .out(out));
    integer n, i, s, errors, seed;
    initial begin
        errors = 0;
        seed = 5;
        for (n = 0; n < 500; n = n + 1) begin
            in = $random(seed);
            for (i = 0; i < 5; i = i + 1) sel[3*i +: 3] = ($random(seed) & 32'h7fffffff) % 5;
            #1;
            for (i = 0; i < 5; i = i + 1) begin
                s = sel[3*i +: 3];
                if (out[6*i +: 6] !== in[6*s +: 6]) begin
                    errors = errors + 1;
                    $display("FAIL port %0d select %0d: %h", i, s, out[6*i +: 6]);
                end
            end
        end
        if (errors == 0) $display("PASS snn_crossbar");
        $finish;
    end
endmodule
